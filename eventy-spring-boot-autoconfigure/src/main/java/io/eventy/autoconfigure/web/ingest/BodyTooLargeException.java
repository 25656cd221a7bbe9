package io.eventy.autoconfigure.web.ingest;

import java.io.IOException;

/**
 * Thrown while reading a request body that is larger than the limit, by its declared
 * length or once more bytes than the limit arrived.
 */
final class BodyTooLargeException extends IOException {

	BodyTooLargeException(long maxBytes) {
		super("The request body is larger than " + maxBytes + " bytes");
	}

}
