package io.eventy.handler;

/**
 * Where a subscription that has never run starts reading.
 */
public enum StartPosition {

	/** At the first record in the store: the handler sees the whole history. */
	EARLIEST,

	/** After the newest record when the subscription is created: only new records. */
	LATEST

}
