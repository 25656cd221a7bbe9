package io.eventy.handler;

/**
 * How often a handler may see a record when something fails between handling it and
 * remembering that it was handled.
 */
public enum Guarantee {

	/**
	 * The record is remembered as handled after the handler returns: after a crash it is
	 * handled again. Handlers should be idempotent.
	 */
	AT_LEAST_ONCE,

	/**
	 * The record is remembered as handled before the handler runs: after a crash it is
	 * not handled again. A handler that throws is not retried; the record goes to the
	 * dead letters.
	 */
	AT_MOST_ONCE,

	/**
	 * The handler, its JDBC writes on the store's {@code DataSource}, the records it
	 * returns and the checkpoint commit in one transaction: its database effects happen
	 * exactly once. Effects outside that database (an HTTP call, a mail) are at least
	 * once.
	 */
	EXACTLY_ONCE

}
