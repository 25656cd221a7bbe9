package io.eventy.store.postgres;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadConverter;
import io.eventy.record.RecordFactory;
import io.eventy.record.UpcastingPayloadConverter;
import io.eventy.store.AppendResult;
import io.eventy.store.ConcurrencyException;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.RecordRows.Metadata;
import io.eventy.store.postgres.RecordRows.Row;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The PostgreSQL {@link EventStore}.
 * <p>
 * Records go to {@code <schema>.<prefix>records} ({@code data} and {@code context} as
 * {@code jsonb}, a global {@code position}, the writing transaction's id). An append of
 * up to {@value RecordSql#MAX_ROWS_PER_STATEMENT} records is one SQL statement that looks
 * up the version the records follow and inserts them; larger appends are split into
 * several statements in one transaction. Once records are committed, a notification on
 * {@link PostgresStoreSettings#notificationChannel()} wakes the subscriptions: sent right
 * after the commit from a thread of the store's own, not in the appending transaction,
 * where it would make concurrent commits wait for each other. The unique key on (stream
 * type, stream id, stream version) is the concurrency check: of two appends that race for
 * a version, the second waits for the first transaction to end and then stores nothing,
 * and throws {@link ConcurrencyException} (with {@link ExpectedVersion#any()} it goes
 * after the first one instead). Either way the caller's transaction stays usable.
 * <p>
 * Appends, publications and reads join the caller's Spring transaction when one is bound
 * to the {@link DataSource}, so business rows and records commit or roll back together;
 * outside a transaction each call commits on its own. The tables come from
 * {@link PostgresSchemaInitializer}.
 * <p>
 * The store checks its arguments and builds the rows; {@link WriteTransactions} sees to
 * the transaction and the notification of a write, {@link RecordInserts} runs its
 * statements, {@link RecordQueries} the reads, and {@link StoreExceptionTranslator} says
 * what a failed statement means to the caller.
 */
public final class PostgresEventStore implements EventStore, AutoCloseable {

	private final RecordFactory recordFactory;

	private final RecordRows rows;

	private final RecordNotifier notifier;

	private final WriteTransactions transactions;

	private final RecordInserts inserts;

	private final RecordQueries queries;

	private final StoreExceptionTranslator exceptions;

	/**
	 * Create a store.
	 * @param dataSource the database
	 * @param settings schema and table prefix
	 * @param recordFactory builds records from payloads
	 */
	public PostgresEventStore(DataSource dataSource, PostgresStoreSettings settings, RecordFactory recordFactory) {
		Objects.requireNonNull(dataSource, "dataSource");
		Objects.requireNonNull(settings, "settings");
		this.recordFactory = Objects.requireNonNull(recordFactory, "recordFactory");
		RecordSql sql = new RecordSql(settings);
		PayloadConverter converter = recordFactory.converter();
		if (converter instanceof UpcastingPayloadConverter upcasting) {
			converter = upcasting.converter();
		}
		ObjectMapper objectMapper = (converter instanceof JacksonPayloadConverter jackson) ? jackson.objectMapper()
				: JsonMapper.builder().findAndAddModules().build();
		this.rows = new RecordRows(objectMapper, recordFactory.converter());
		this.exceptions = new StoreExceptionTranslator(dataSource, settings);
		this.notifier = new RecordNotifier(dataSource, settings.notificationChannel());
		this.transactions = new WriteTransactions(dataSource, this.notifier);
		this.inserts = new RecordInserts(sql, settings);
		JdbcTemplate jdbc = new JdbcTemplate(dataSource, true);
		jdbc.setExceptionTranslator(this.exceptions.forTask("read records"));
		this.queries = new RecordQueries(jdbc, sql, this.rows);
	}

	/**
	 * Stop the thread that sends notifications, after the ones already due. Appends still
	 * work afterwards; subscriptions then find their records by polling.
	 */
	@Override
	public void close() {
		this.notifier.close();
	}

	/**
	 * Return how many commits of records asked for a notification so far (for tests).
	 * @return the number of requests
	 */
	long notificationRequests() {
		return this.notifier.requests();
	}

	@Override
	public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
		Objects.requireNonNull(stream, "stream");
		Objects.requireNonNull(expected, "expected");
		Objects.requireNonNull(payloads, "payloads");
		if (payloads.isEmpty()) {
			throw new IllegalArgumentException("An append needs at least one payload");
		}
		checkStream(stream);
		String partitionKey = stream.partitionKey();
		List<Row> rows = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			rows.add(this.rows.row(this.recordFactory.create(payload, partitionKey)));
		}
		Metadata metadata = currentMetadata();
		InsertedRecords inserted;
		try {
			inserted = this.transactions.run(rows.size() > 1, (connection, callersTransaction) -> this.inserts
				.append(connection, stream, expected, rows, metadata, callersTransaction));
		}
		catch (SQLException ex) {
			throw this.exceptions.writeFailure("append to stream " + stream, "in stream " + stream, ex);
		}
		List<StoredRecord> stored = new ArrayList<>(rows.size());
		for (int i = 0; i < rows.size(); i++) {
			stored.add(this.rows.stored(rows.get(i), stream, inserted.firstVersion() + i, inserted.positions()[i],
					metadata));
		}
		return new AppendResult(inserted.firstVersion() + rows.size() - 1, stored);
	}

	@Override
	public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
		Objects.requireNonNull(stream, "stream");
		if (fromVersion < 1) {
			throw new IllegalArgumentException(
					"fromVersion must be at least 1 (stream versions start at 1), was " + fromVersion);
		}
		checkStream(stream);
		return this.queries.readStream(stream, fromVersion);
	}

	@Override
	public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
		if (streamType == null || streamType.isBlank()) {
			throw new IllegalArgumentException("Stream type must not be blank");
		}
		checkRange(fromPosition, limit);
		return this.queries.readCategory(streamType, fromPosition, limit);
	}

	@Override
	public List<StoredRecord> readAll(long fromPosition, int limit) {
		checkRange(fromPosition, limit);
		return this.queries.readAll(fromPosition, limit);
	}

	@Override
	public StoredRecord publish(Object payload) {
		Objects.requireNonNull(payload, "payload");
		return publish(this.recordFactory.create(payload, null));
	}

	@Override
	public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
		Objects.requireNonNull(qualifiedName, "qualifiedName");
		Objects.requireNonNull(data, "data");
		return publish(this.recordFactory.create(qualifiedName, data, null));
	}

	private StoredRecord publish(EventyRecord record) {
		Row row = this.rows.row(record);
		Metadata metadata = currentMetadata();
		long position;
		try {
			position = this.transactions.run(false,
					(connection, callersTransaction) -> this.inserts.publish(connection, row, metadata));
		}
		catch (SQLException ex) {
			throw this.exceptions.writeFailure("publish " + record.qualifiedName(), "published", ex);
		}
		return this.rows.stored(row, null, 0, position, metadata);
	}

	private static Metadata currentMetadata() {
		EventyContext context = EventyContextHolder.current();
		if (context == null) {
			return Metadata.NONE;
		}
		Metadata metadata = new Metadata(context.requestId(), context.causationId(), context.traceparent());
		checkId("request id", metadata.requestId());
		checkId("causation id", metadata.causationId());
		checkId("traceparent", metadata.traceparent());
		return metadata;
	}

	private static void checkId(String what, @Nullable String value) {
		if (value != null && value.indexOf('\0') >= 0) {
			throw new IllegalArgumentException(
					"The current context's " + what + " contains the character U+0000, which PostgreSQL cannot store");
		}
	}

	private static void checkStream(StreamId stream) {
		if (stream.type().indexOf('\0') >= 0 || stream.id().indexOf('\0') >= 0) {
			throw new IllegalArgumentException(
					"Stream " + stream + " contains the character U+0000, which PostgreSQL cannot store");
		}
	}

	private static void checkRange(long fromPosition, int limit) {
		if (fromPosition < 0) {
			throw new IllegalArgumentException("fromPosition must not be negative, was " + fromPosition);
		}
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
	}

}
