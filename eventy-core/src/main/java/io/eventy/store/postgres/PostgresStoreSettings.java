package io.eventy.store.postgres;

import java.util.regex.Pattern;

/**
 * Where the PostgreSQL store keeps its tables. Both parts are checked here, once, before
 * they reach any SQL: lower-case identifiers of letters, digits and underscores.
 *
 * @param schema the schema of the store's tables
 * @param tablePrefix the prefix of the store's table names, such as {@code eventy_}
 */
public record PostgresStoreSettings(String schema, String tablePrefix) {

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

	private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]*|");

	/** The longest table name PostgreSQL keeps whole, less room for our suffixes. */
	private static final int MAX_PREFIX_LENGTH = 40;

	/** The longest channel name PostgreSQL accepts. */
	private static final int MAX_CHANNEL_LENGTH = 63;

	public PostgresStoreSettings {
		checkSchema(schema);
		checkTablePrefix(tablePrefix);
	}

	/**
	 * Check a schema name.
	 * @param schema the candidate
	 * @return the schema
	 * @throws IllegalArgumentException if it is not a lower-case identifier
	 */
	public static String checkSchema(String schema) {
		if (schema == null || !IDENTIFIER.matcher(schema).matches() || schema.length() > 63) {
			throw new IllegalArgumentException("PostgreSQL schema must be a lower-case identifier of letters, digits "
					+ "and underscores (at most 63 characters), was '" + schema + "'");
		}
		return schema;
	}

	/**
	 * Check a table prefix.
	 * @param tablePrefix the candidate
	 * @return the prefix
	 * @throws IllegalArgumentException if it is neither empty nor a lower-case identifier
	 */
	public static String checkTablePrefix(String tablePrefix) {
		if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches() || tablePrefix.length() > MAX_PREFIX_LENGTH) {
			throw new IllegalArgumentException("PostgreSQL table prefix must be empty or a lower-case identifier of "
					+ "letters, digits and underscores (at most " + MAX_PREFIX_LENGTH + " characters), was '"
					+ tablePrefix + "'");
		}
		return tablePrefix;
	}

	/**
	 * The defaults: schema {@code public}, prefix {@code eventy_}.
	 * @return the default settings
	 */
	public static PostgresStoreSettings defaults() {
		return new PostgresStoreSettings("public", "eventy_");
	}

	/**
	 * Return the schema-qualified name of one of the store's tables.
	 * @param table the table name without prefix, such as {@code records}
	 * @return {@code schema.prefix_table}
	 */
	public String table(String table) {
		return this.schema + "." + this.tablePrefix + table;
	}

	/**
	 * Return the {@code LISTEN}/{@code NOTIFY} channel on which each transaction that
	 * stores records sends one notification with an empty payload:
	 * {@code <prefix>records} in the {@code public} schema, else
	 * {@code <schema>.<prefix>records}, shortened with a hash to fit PostgreSQL's 63
	 * characters. Listen with {@code LISTEN "<channel>"} (quoted: it may contain a dot).
	 * @return the channel name
	 */
	public String notificationChannel() {
		String channel = ("public".equals(this.schema) ? "" : this.schema + ".") + this.tablePrefix + "records";
		if (channel.length() <= MAX_CHANNEL_LENGTH) {
			return channel;
		}
		String hash = Integer.toHexString(channel.hashCode());
		return channel.substring(0, MAX_CHANNEL_LENGTH - hash.length() - 1) + "_" + hash;
	}

}
