package io.eventy.store.postgres;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import io.eventy.record.InvalidRecordException;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Turns the {@link SQLException}s of the store's statements into what they mean to the
 * caller: a record whose uuid is stored already is an {@link InvalidRecordException};
 * anything else becomes a {@link DataAccessException} by PostgreSQL's error codes, named
 * after the store's task.
 */
final class StoreExceptionTranslator {

	private static final String UNIQUE_VIOLATION = "23505";

	private final SQLExceptionTranslator translator;

	private final String uuidConstraint;

	StoreExceptionTranslator(DataSource dataSource, PostgresStoreSettings settings) {
		this.translator = new SQLErrorCodeSQLExceptionTranslator(dataSource);
		this.uuidConstraint = constraint(settings, "records_uuid_uk");
	}

	/**
	 * Return the quoted name of a constraint of the store's tables, as PostgreSQL's
	 * messages show it.
	 * @param settings the store's settings
	 * @param name the constraint name without prefix
	 * @return the name, prefixed and in double quotes
	 */
	static String constraint(PostgresStoreSettings settings, String name) {
		return "\"" + settings.tablePrefix() + name + "\"";
	}

	/**
	 * Return whether a statement failed on a unique constraint.
	 * @param ex the failure
	 * @param constraint the constraint's name, as {@link #constraint} returns it
	 * @return {@code true} for a unique violation that names the constraint
	 */
	static boolean isUniqueViolation(SQLException ex, String constraint) {
		String message = ex.getMessage();
		return UNIQUE_VIOLATION.equals(ex.getSQLState()) && message != null && message.contains(constraint);
	}

	/**
	 * Return the exception a failed append or publication means to the caller.
	 * @param task what the store was doing, such as {@code append to stream ...}
	 * @param record which records, for the message of a duplicate uuid
	 * @param ex the failure
	 * @return an {@link InvalidRecordException} for a uuid that is stored already, else a
	 * {@link DataAccessException}
	 */
	RuntimeException writeFailure(String task, String record, SQLException ex) {
		String message = ex.getMessage();
		if (message != null && isUniqueViolation(ex, this.uuidConstraint)) {
			InvalidRecordException duplicate = new InvalidRecordException(record,
					List.of("uuid: a record with this uuid is already stored ("
							+ String.join(" ", message.lines().map(String::strip).toList()) + ")"));
			duplicate.initCause(ex);
			return duplicate;
		}
		return translate(task, ex);
	}

	/**
	 * Translate a failure to a {@link DataAccessException}.
	 * @param task what the store was doing
	 * @param ex the failure
	 * @return the exception, never {@code null}
	 */
	DataAccessException translate(String task, SQLException ex) {
		DataAccessException translated = this.translator.translate("Eventy: " + task, null, ex);
		return (translated != null) ? translated : new UncategorizedSQLException("Eventy: " + task, null, ex);
	}

	/**
	 * Return a translator for a {@code JdbcTemplate} that runs one kind of the store's
	 * work: its exceptions name that task, as the store's own do, rather than the
	 * template's callback.
	 * @param task what the template does, such as {@code read records}
	 * @return the translator
	 */
	SQLExceptionTranslator forTask(String task) {
		return (callback, sql, ex) -> translate(task, ex);
	}

}
