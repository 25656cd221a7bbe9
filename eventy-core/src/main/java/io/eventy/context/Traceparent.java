package io.eventy.context;

import org.jspecify.annotations.Nullable;

/**
 * A parsed W3C {@code traceparent} header value.
 *
 * @param traceId 32 lowercase hex characters, not all zeros
 * @param spanId 16 lowercase hex characters, not all zeros
 * @param sampled whether the caller sampled the trace
 */
public record Traceparent(String traceId, String spanId, boolean sampled) {

	private static final int VERSION_00_LENGTH = 55;

	/**
	 * Create a trace parent, checking its ids.
	 * @throws IllegalArgumentException when an id is not lowercase hex of the right
	 * length or is all zeros
	 */
	public Traceparent {
		if (!isHexId(traceId, 32)) {
			throw new IllegalArgumentException("traceId must be 32 lowercase hex characters, not all zeros");
		}
		if (!isHexId(spanId, 16)) {
			throw new IllegalArgumentException("spanId must be 16 lowercase hex characters, not all zeros");
		}
	}

	/**
	 * Parse a {@code traceparent} value as the W3C Trace Context specification says:
	 * version {@code 00} exactly, a later version by its first four fields.
	 * @param value the header value
	 * @return the trace parent, or {@code null} when the value is missing or malformed
	 */
	public static @Nullable Traceparent parse(@Nullable String value) {
		if (value == null || value.length() < VERSION_00_LENGTH) {
			return null;
		}
		if (!isLowerHex(value, 0, 2) || value.startsWith("ff") || value.charAt(2) != '-' || value.charAt(35) != '-'
				|| value.charAt(52) != '-' || !isLowerHex(value, 53, 55)) {
			return null;
		}
		boolean version00 = value.startsWith("00");
		if ((version00 && value.length() != VERSION_00_LENGTH)
				|| (!version00 && value.length() > VERSION_00_LENGTH && value.charAt(VERSION_00_LENGTH) != '-')) {
			return null;
		}
		String traceId = value.substring(3, 35);
		String spanId = value.substring(36, 52);
		if (!isHexId(traceId, 32) || !isHexId(spanId, 16)) {
			return null;
		}
		int flags = Character.digit(value.charAt(54), 16);
		return new Traceparent(traceId, spanId, (flags & 1) == 1);
	}

	/**
	 * Return the value of a version {@code 00} {@code traceparent} header.
	 * @return the header value
	 */
	@Override
	public String toString() {
		return "00-" + this.traceId + "-" + this.spanId + (this.sampled ? "-01" : "-00");
	}

	private static boolean isHexId(@Nullable String id, int length) {
		if (id == null || id.length() != length || !isLowerHex(id, 0, length)) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (id.charAt(i) != '0') {
				return true;
			}
		}
		return false;
	}

	private static boolean isLowerHex(String value, int from, int to) {
		for (int i = from; i < to; i++) {
			char c = value.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

}
