package io.eventy.autoconfigure.web.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads a request body, at most a limit: a body that declares a larger
 * {@code Content-Length} is refused before a byte is read, and one that comes without a
 * length (chunked) or with a wrong one as soon as more bytes than the limit arrived. At
 * most the limit and one buffer are held in memory.
 */
final class LimitedBody {

	private static final int BUFFER_SIZE = 8192;

	private LimitedBody() {
	}

	/**
	 * Read a request's body.
	 * @param request the request
	 * @param maxBytes the largest body accepted
	 * @return the body, empty when there is none
	 * @throws BodyTooLargeException if the body is larger than the limit
	 * @throws IOException if the body cannot be read
	 */
	static byte[] read(HttpServletRequest request, long maxBytes) throws IOException {
		long declared = request.getContentLengthLong();
		if (declared > maxBytes) {
			throw new BodyTooLargeException(maxBytes);
		}
		if (declared == 0) {
			return new byte[0];
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream((declared > 0) ? (int) declared : BUFFER_SIZE);
		byte[] buffer = new byte[BUFFER_SIZE];
		InputStream in = request.getInputStream();
		long total = 0;
		for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
			total += read;
			if (total > maxBytes) {
				throw new BodyTooLargeException(maxBytes);
			}
			body.write(buffer, 0, read);
		}
		return body.toByteArray();
	}

}
