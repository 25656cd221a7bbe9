package io.eventy.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import javax.sql.DataSource;

import io.eventy.record.PayloadConverter;
import io.eventy.request.AwaitedRequest;
import io.eventy.request.DefaultRequestClient;
import io.eventy.store.StoredRecord;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Hands the responses to this instance's requests to its {@link DefaultRequestClient}:
 * while requests await their responses, it looks for responses whose {@code request_uuid}
 * is one of theirs, after the earliest of their positions (a response is written after
 * its request was read, so after it), every poll interval. Each instance of a service
 * looks for its own requests' responses only.
 */
public final class PostgresResponseListener implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PostgresResponseListener.class);

	private final DataSource dataSource;

	private final DefaultRequestClient client;

	private final Duration pollInterval;

	private final SubscriptionRecordReader reader;

	private final String select;

	private volatile @Nullable Thread thread;

	/**
	 * Create a listener.
	 * @param dataSource the store's database
	 * @param settings the store's schema and table names
	 * @param converter reads payloads of the responses
	 * @param client the client whose requests await responses
	 * @param pollInterval how often to look while requests await responses
	 */
	public PostgresResponseListener(DataSource dataSource, PostgresStoreSettings settings, PayloadConverter converter,
			DefaultRequestClient client, Duration pollInterval) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.client = Objects.requireNonNull(client, "client");
		this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
		this.reader = new SubscriptionRecordReader(settings, converter);
		this.select = "SELECT " + SubscriptionRecordReader.COLUMNS + " FROM " + settings.table("records")
				+ " WHERE position > ? AND kind = 'RESPONSE' AND request_uuid = ANY(?) ORDER BY position";
	}

	@Override
	public void start() {
		Thread listener = new Thread(this::run, "eventy-responses");
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	@Override
	public void stop() {
		Thread listener = this.thread;
		this.thread = null;
		if (listener != null) {
			listener.interrupt();
			try {
				listener.join(Duration.ofSeconds(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/**
	 * Look once for the responses to the awaited requests and hand them to the client.
	 * @return how many responses were found
	 * @throws SQLException if the database fails
	 */
	int poll() throws SQLException {
		List<AwaitedRequest> awaited = this.client.awaitedRequests();
		if (awaited.isEmpty()) {
			return 0;
		}
		long after = awaited.stream().mapToLong(AwaitedRequest::position).min().orElse(0);
		UUID[] uuids = awaited.stream().map(AwaitedRequest::uuid).toArray(UUID[]::new);
		int found = 0;
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			try (PreparedStatement statement = connection.prepareStatement(this.select)) {
				Array array = connection.createArrayOf("uuid", uuids);
				statement.setLong(1, after);
				statement.setArray(2, array);
				try (ResultSet result = statement.executeQuery()) {
					while (result.next()) {
						ReadRecord read = this.reader.map(result);
						StoredRecord stored = read.record();
						if (stored != null) {
							found++;
							this.client.accept(stored);
						}
						else {
							logger.warn("A response to request(s) of this service cannot be read: {}",
									read.unreadable());
						}
					}
				}
			}
		}
		return found;
	}

	private void run() {
		while (this.thread == Thread.currentThread()) {
			try {
				poll();
			}
			catch (SQLException | RuntimeException ex) {
				logger.warn("Looking for responses to this service's requests failed; trying again in {}",
						this.pollInterval, ex);
			}
			try {
				Thread.sleep(this.pollInterval.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

}
