package io.eventy.store;

/**
 * Thrown when an append's {@link ExpectedVersion} does not match the stream's version.
 * Nothing of that append was stored; read the stream again, decide again, retry.
 */
public class ConcurrencyException extends RuntimeException {

	private final StreamId stream;

	private final ExpectedVersion expected;

	private final long actual;

	/**
	 * Create a new exception.
	 * @param stream the stream
	 * @param expected the version the append expected
	 * @param actual the stream's version when the append ran, {@code 0} when empty
	 */
	public ConcurrencyException(StreamId stream, ExpectedVersion expected, long actual) {
		super("Stream " + stream + " was expected at version " + expected + " but is at version " + actual
				+ "; nothing was appended");
		this.stream = stream;
		this.expected = expected;
		this.actual = actual;
	}

	/**
	 * Return the stream.
	 * @return the stream
	 */
	public StreamId stream() {
		return this.stream;
	}

	/**
	 * Return the version the append expected.
	 * @return the expected version
	 */
	public ExpectedVersion expected() {
		return this.expected;
	}

	/**
	 * Return the stream's version when the append ran.
	 * @return the actual version, {@code 0} when the stream is empty
	 */
	public long actual() {
		return this.actual;
	}

}
