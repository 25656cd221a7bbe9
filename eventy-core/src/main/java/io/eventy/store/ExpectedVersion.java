package io.eventy.store;

/**
 * The version a stream must have for an append to go ahead (optimistic concurrency).
 * Stream versions start at 1; version 0 means the stream has no record yet.
 *
 * @param value the expected version, {@code 0} for no stream, {@code -1} for any
 */
public record ExpectedVersion(long value) {

	private static final ExpectedVersion ANY = new ExpectedVersion(-1);

	private static final ExpectedVersion NO_STREAM = new ExpectedVersion(0);

	public ExpectedVersion {
		if (value < -1) {
			throw new IllegalArgumentException(
					"Expected version must be -1 (any), 0 (no stream) or a version >= 1, was " + value);
		}
	}

	/**
	 * Append whatever the stream's version.
	 * @return the expectation that always holds
	 */
	public static ExpectedVersion any() {
		return ANY;
	}

	/**
	 * Append only if the stream has no record yet.
	 * @return the expectation of an empty stream
	 */
	public static ExpectedVersion noStream() {
		return NO_STREAM;
	}

	/**
	 * Append only if the stream's last record has this version.
	 * @param version the expected version; {@code 0} is the same as {@link #noStream()}
	 * @return the expectation
	 */
	public static ExpectedVersion exactly(long version) {
		if (version < 0) {
			throw new IllegalArgumentException("Expected version must be >= 0, was " + version);
		}
		return (version == 0) ? NO_STREAM : new ExpectedVersion(version);
	}

	/**
	 * Return whether any version is accepted.
	 * @return {@code true} for {@link #any()}
	 */
	public boolean isAny() {
		return this.value == -1;
	}

	/**
	 * Return whether an empty stream is expected.
	 * @return {@code true} for {@link #noStream()}
	 */
	public boolean isNoStream() {
		return this.value == 0;
	}

	@Override
	public String toString() {
		return isAny() ? "any" : isNoStream() ? "no stream" : Long.toString(this.value);
	}

}
