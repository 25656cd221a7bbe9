package io.eventy.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits the size of request bodies without reading them into memory first: the request
 * body a handler reads fails with {@link RequestBodyTooLargeException} on its first read
 * when the declared {@code Content-Length} is over the limit, and as soon as more bytes
 * than the limit arrived when no length is declared ({@code Transfer-Encoding: chunked})
 * or the declared one is wrong. At most the limit and one read buffer are read.
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;

	/**
	 * Create a filter.
	 * @param maxBytes the largest body accepted, in bytes
	 */
	RequestBodyLimitFilter(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new LimitedBodyRequest(request, this.maxBytes), response);
	}

	/**
	 * A request whose body stream and reader enforce the limit.
	 */
	private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

		private final long maxBytes;

		private @Nullable LimitedInputStream body;

		private @Nullable BufferedReader reader;

		LimitedBodyRequest(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			LimitedInputStream body = this.body;
			if (body == null) {
				body = new LimitedInputStream(super.getInputStream(), getContentLengthLong(), this.maxBytes);
				this.body = body;
			}
			return body;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			BufferedReader reader = this.reader;
			if (reader == null) {
				String encoding = getCharacterEncoding();
				Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
				reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
				this.reader = reader;
			}
			return reader;
		}

	}

	/**
	 * Counts what is read and fails past the limit.
	 */
	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long declaredLength;

		private final long maxBytes;

		private long read;

		LimitedInputStream(ServletInputStream delegate, long declaredLength, long maxBytes) {
			this.delegate = delegate;
			this.declaredLength = declaredLength;
			this.maxBytes = maxBytes;
		}

		@Override
		public int read() throws IOException {
			checkDeclaredLength();
			int next = this.delegate.read();
			if (next != -1) {
				count(1);
			}
			return next;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			checkDeclaredLength();
			int count = this.delegate.read(buffer, offset, length);
			if (count > 0) {
				count(count);
			}
			return count;
		}

		private void checkDeclaredLength() throws RequestBodyTooLargeException {
			if (this.declaredLength > this.maxBytes) {
				throw new RequestBodyTooLargeException(this.maxBytes);
			}
		}

		private void count(int bytes) throws RequestBodyTooLargeException {
			this.read += bytes;
			if (this.read > this.maxBytes) {
				throw new RequestBodyTooLargeException(this.maxBytes);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			// a non-blocking reader reads through this stream too, so the limit holds
			this.delegate.setReadListener(listener);
		}

		@Override
		public int available() throws IOException {
			return this.delegate.available();
		}

		@Override
		public void close() throws IOException {
			this.delegate.close();
		}

	}

}
