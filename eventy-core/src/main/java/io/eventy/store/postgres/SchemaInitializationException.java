package io.eventy.store.postgres;

/**
 * Thrown when Eventy's tables cannot be created or brought up to date at startup.
 */
public class SchemaInitializationException extends IllegalStateException {

	private final boolean connectionFailed;

	/**
	 * Create a new exception.
	 * @param message what failed
	 * @param connectionFailed whether no connection to the database could be made at all
	 * @param cause the underlying failure
	 */
	public SchemaInitializationException(String message, boolean connectionFailed, Throwable cause) {
		super(message, cause);
		this.connectionFailed = connectionFailed;
	}

	/**
	 * Return whether no connection to the database could be made at all, as opposed to
	 * the database refusing a change.
	 * @return whether the connection failed
	 */
	public boolean isConnectionFailed() {
		return this.connectionFailed;
	}

}
