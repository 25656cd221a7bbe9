package io.eventy.store;

/**
 * Identifies a stream: a type (the category, such as {@code order}) and an id within it.
 * Both are non-blank and at most {@value #MAX_LENGTH} characters.
 *
 * @param type the stream type (category)
 * @param id the id of the stream within its type
 */
public record StreamId(String type, String id) {

	/** The longest type or id. */
	public static final int MAX_LENGTH = 200;

	public StreamId {
		check("type", type);
		check("id", id);
	}

	/**
	 * Create a stream id.
	 * @param type the stream type (category)
	 * @param id the id of the stream within its type
	 * @return the stream id
	 * @throws IllegalArgumentException if either part is blank or too long
	 */
	public static StreamId of(String type, String id) {
		return new StreamId(type, id);
	}

	/**
	 * Return the partition key of records of this stream, {@code type-id}.
	 * @return the partition key
	 */
	public String partitionKey() {
		return this.type + "-" + this.id;
	}

	@Override
	public String toString() {
		return partitionKey();
	}

	private static void check(String part, String value) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("Stream " + part + " must not be blank");
		}
		if (value.length() > MAX_LENGTH) {
			throw new IllegalArgumentException(
					"Stream " + part + " must be at most " + MAX_LENGTH + " characters, was " + value.length());
		}
	}

}
