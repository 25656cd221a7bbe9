package io.eventy.context;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * Generates and validates trace and request ids.
 * <p>
 * An id that comes from outside (an HTTP header, a stored record) is accepted only when
 * it has 1 to {@value #MAX_LENGTH} characters, all of {@code [A-Za-z0-9._:-]}; anything
 * else is replaced by a generated id, never reflected. The check is a plain character
 * loop: it runs on every request.
 */
public final class EventyIds {

	/** The longest id accepted from outside. */
	public static final int MAX_LENGTH = 128;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	/**
	 * The characters of an id, {@code [A-Za-z0-9._:-]}, by code; checked for every record
	 * handled.
	 */
	private static final boolean[] ALLOWED = new boolean[128];

	static {
		for (char c = 'a'; c <= 'z'; c++) {
			ALLOWED[c] = true;
			ALLOWED[Character.toUpperCase(c)] = true;
		}
		for (char c = '0'; c <= '9'; c++) {
			ALLOWED[c] = true;
		}
		for (char c : ".:_-".toCharArray()) {
			ALLOWED[c] = true;
		}
	}

	private EventyIds() {
	}

	/**
	 * Return a new trace id: 32 lowercase hex characters, as W3C trace context uses,
	 * never all zeros.
	 * @return a new trace id
	 */
	public static String newTraceId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = random.nextLong();
		long low = random.nextLong();
		if (high == 0 && low == 0) {
			low = 1;
		}
		char[] chars = new char[32];
		writeHex(high, chars, 0);
		writeHex(low, chars, 16);
		return new String(chars);
	}

	/**
	 * Return a new request id, a random (version 4) UUID. Request ids are correlation
	 * handles, not secrets, so they come from a fast non-blocking random source rather
	 * than {@link UUID#randomUUID()}'s {@code SecureRandom}.
	 * @return a new request id
	 */
	public static String newRequestId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long mostSignificant = (random.nextLong() & ~0xF000L) | 0x4000L;
		long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(mostSignificant, leastSignificant).toString();
	}

	/**
	 * Return whether a value from outside may be used as an id.
	 * @param value the candidate
	 * @return {@code true} when it has 1 to 128 characters of {@code [A-Za-z0-9._:-]}
	 */
	public static boolean isValid(@Nullable String value) {
		if (value == null) {
			return false;
		}
		int length = value.length();
		if (length == 0 || length > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c >= ALLOWED.length || !ALLOWED[c]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return the value when it is a valid id, else {@code null}.
	 * @param value the candidate
	 * @return the value, or {@code null}
	 */
	public static @Nullable String validOrNull(@Nullable String value) {
		return isValid(value) ? value : null;
	}

	/**
	 * Return the value when it is a valid id, else a new trace id.
	 * @param value the candidate, typically a header or a stored correlation id
	 * @return the value, or a new trace id
	 */
	public static String validOrNewTraceId(@Nullable String value) {
		return isValid(value) ? value : newTraceId();
	}

	/**
	 * Return the value when it is a valid id, else a new request id.
	 * @param value the candidate, typically a header or a stored request id
	 * @return the value, or a new request id
	 */
	public static String validOrNewRequestId(@Nullable String value) {
		return isValid(value) ? value : newRequestId();
	}

	private static void writeHex(long value, char[] chars, int offset) {
		for (int i = 0; i < 16; i++) {
			chars[offset + 15 - i] = HEX[(int) (value >>> (i * 4)) & 0xF];
		}
	}

}
