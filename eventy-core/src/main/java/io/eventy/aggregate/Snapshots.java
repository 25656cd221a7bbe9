package io.eventy.aggregate;

/**
 * When an aggregate type stores snapshots of its state, and under which schema version. A
 * snapshot is taken when an append moves the stream's version across a multiple of
 * {@code every}; it is written after the append commits, never in the appending
 * transaction. Loading starts from the newest snapshot of the same schema version, so
 * changing the state's shape only needs a new schema version: older snapshots are then
 * ignored and the stream is replayed.
 *
 * @param every take a snapshot every this many records, {@code 0} for never
 * @param schemaVersion the version of the state's JSON shape
 */
public record Snapshots(int every, String schemaVersion) {

	private static final Snapshots NEVER = new Snapshots(0, "1");

	/**
	 * Check the values.
	 * @param every take a snapshot every this many records, {@code 0} for never
	 * @param schemaVersion the version of the state's JSON shape
	 */
	public Snapshots {
		if (every < 0) {
			throw new IllegalArgumentException(
					"Snapshots are taken every 1 or more records (0 for never), not " + every);
		}
		if (schemaVersion == null || schemaVersion.isBlank()) {
			throw new IllegalArgumentException("A snapshot schema version must not be blank");
		}
	}

	/**
	 * Return the policy of taking no snapshot.
	 * @return never
	 */
	public static Snapshots never() {
		return NEVER;
	}

	/**
	 * Return the policy of a snapshot every {@code records} records, schema version
	 * {@code "1"}.
	 * @param records how many records between snapshots, at least 1
	 * @return the policy
	 */
	public static Snapshots every(int records) {
		if (records < 1) {
			throw new IllegalArgumentException("Snapshots are taken every 1 or more records, not " + records);
		}
		return new Snapshots(records, "1");
	}

	/**
	 * Return the same policy under another schema version of the state.
	 * @param schemaVersion the version, for example {@code "2"} once the state's JSON
	 * shape changed
	 * @return the policy
	 */
	public Snapshots schemaVersion(String schemaVersion) {
		return new Snapshots(this.every, schemaVersion);
	}

	/**
	 * Return whether snapshots are taken.
	 * @return {@code true} unless {@link #never()}
	 */
	public boolean enabled() {
		return this.every > 0;
	}

	/**
	 * Return whether an append that moved a stream from one version to another takes a
	 * snapshot: whether it crossed a multiple of {@link #every()}.
	 * @param from the version before the append
	 * @param to the version after it
	 * @return whether to take a snapshot at {@code to}
	 */
	public boolean due(long from, long to) {
		return enabled() && to / this.every > from / this.every;
	}

}
