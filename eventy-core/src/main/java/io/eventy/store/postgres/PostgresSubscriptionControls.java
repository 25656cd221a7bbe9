package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import javax.sql.DataSource;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.ResetTo;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.SubscriptionStatus;
import io.eventy.handler.Subscriptions;
import io.eventy.handler.UnknownSubscriptionException;
import io.eventy.store.postgres.SubscriptionActivity.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Subscriptions} of this service on PostgreSQL: the handlers of the registry
 * as the {@link PostgresSubscriptions} of this instance run them, with their rows in the
 * store's tables.
 * <p>
 * <strong>Status.</strong> Each call reads the subscriptions' rows and counts the records
 * behind each segment (indexed queries, counted up to
 * {@link PostgresSubscriptionMonitor#MAX_COUNTED}); rate and last error are what this
 * instance saw. The state is {@code PAUSED} when paused, {@code STOPPED} when the
 * subscriptions do not run on this instance, {@code STALLED} when one of its segments
 * here is stalled, {@code CATCHING_UP} when more than a batch waits or a segment here
 * read a full batch in the last seconds, else {@code RUNNING}.
 * <p>
 * <strong>Pause and resume</strong> are a row of the
 * {@code <prefix>subscription_controls} table, which every worker of every instance reads
 * before a batch that follows a wait, and at least every second while it works off a
 * backlog: a pause holds the workers of this instance after the record each handles,
 * those of other instances after the record at hand once their heartbeat sees it (within
 * a quarter of the lease), at the latest after the batch at hand; a paused worker holds
 * no transaction and no connection, and looks at the row again at every notification and
 * poll interval. A resume wakes the workers of every instance through the store's
 * notification channel.
 * <p>
 * <strong>A reset</strong> moves every segment's checkpoint in one transaction that takes
 * the segments' rows {@code FOR UPDATE} (waiting for an {@code EXACTLY_ONCE} record being
 * committed) and takes the segments from their owners: every later move of a worker that
 * was in the middle of a batch names an owner the row no longer has, so it fails and
 * never overwrites the reset, and the worker leaves the segment after the record at hand.
 * The instances claim the segments again at their next heartbeat (this one at once,
 * others within a quarter of the lease) and go on from the new checkpoint. Failed
 * attempts are forgotten; dead letters stay. A point is never past the read horizon (the
 * newest record below the oldest running transaction), so that a reset never skips a
 * record committed later:
 * <ul>
 * <li>{@code earliest}: before every record;</li>
 * <li>{@code latest}: the newest record below the read horizon;</li>
 * <li>{@code position(n)}: the record at position {@code n}, or the last one before it
 * (one primary key lookup);</li>
 * <li>{@code time(t)}: just before the first record, in reading order, recorded at or
 * after {@code t}. Its cost is one query on {@code recorded_at}, which has a BRIN index:
 * as records are appended roughly in time order, it reads the block ranges at or after
 * {@code t} (cheap for a recent time, up to the whole table for an old one).</li>
 * </ul>
 * <p>
 * Pauses, resumes and resets are logged at {@code INFO} with this instance's id.
 */
public final class PostgresSubscriptionControls implements Subscriptions {

	private static final Logger logger = LoggerFactory.getLogger(PostgresSubscriptionControls.class);

	private static final String STORE = "postgres";

	private final DataSource dataSource;

	private final HandlerEndpointRegistry registry;

	private final PostgresSubscriptions subscriptions;

	private final SubscriptionOptions options;

	private final SubscriptionCheckpoints checkpoints;

	private final SubscriptionPauses pauses;

	private final SubscriptionInstances instances;

	private final DeadLetterTable deadLetters;

	private final PostgresSubscriptionMonitor monitor;

	private final RecordHead head;

	private final String channel;

	/**
	 * Create the controls.
	 * @param dataSource the store's database
	 * @param settings schema and table prefix of the store
	 * @param registry the handlers, one subscription each
	 * @param subscriptions the subscriptions as this instance runs them
	 * @param options the subscriptions' batch size
	 */
	public PostgresSubscriptionControls(DataSource dataSource, PostgresStoreSettings settings,
			HandlerEndpointRegistry registry, PostgresSubscriptions subscriptions, SubscriptionOptions options) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		Objects.requireNonNull(settings, "settings");
		this.registry = Objects.requireNonNull(registry, "registry");
		this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
		this.options = Objects.requireNonNull(options, "options");
		this.checkpoints = new SubscriptionCheckpoints(settings);
		this.pauses = new SubscriptionPauses(settings);
		this.instances = new SubscriptionInstances(settings);
		this.deadLetters = new DeadLetterTable(settings, null);
		this.monitor = new PostgresSubscriptionMonitor(dataSource, settings);
		this.head = new RecordHead(settings);
		this.channel = settings.notificationChannel();
	}

	@Override
	public List<SubscriptionStatus> list() {
		List<HandlerEndpoint> endpoints = new ArrayList<>(this.registry.endpoints());
		endpoints.sort(Comparator.comparing(HandlerEndpoint::subscription));
		return read("read the subscriptions", (connection) -> {
			Map<String, Long> deadLetters = this.deadLetters.counts(connection);
			List<SubscriptionStatus> statuses = new ArrayList<>();
			for (HandlerEndpoint endpoint : endpoints) {
				statuses.add(status(connection, endpoint, deadLetters.getOrDefault(endpoint.subscription(), 0L)));
			}
			return statuses;
		});
	}

	@Override
	public SubscriptionStatus get(String name) {
		HandlerEndpoint endpoint = endpoint(name);
		return read("read subscription '" + name + "'",
				(connection) -> status(connection, endpoint, this.deadLetters.count(connection, name)));
	}

	private SubscriptionStatus status(Connection connection, HandlerEndpoint endpoint, long deadLetters)
			throws SQLException {
		String name = endpoint.subscription();
		List<Checkpoint> rows = this.checkpoints.segments(connection, name);
		boolean paused = this.pauses.paused(connection, name);
		List<SubscriptionStatus.Checkpoint> parts = new ArrayList<>();
		long lag = rows.isEmpty() ? -1 : 0;
		for (Checkpoint row : rows) {
			long behind = this.monitor.lag(connection, row.key(), row.segment());
			lag = Math.min(PostgresSubscriptionMonitor.MAX_COUNTED, lag + behind);
			parts.add(new SubscriptionStatus.Checkpoint(Integer.toString(row.segment().index()), row.key().position(),
					behind, row.owned() ? row.owner() : null));
		}
		int segments = rows.isEmpty() ? this.subscriptions.segments(name) : rows.get(0).segment().count();
		SubscriptionActivity.Tracker activity = this.subscriptions.activity().of(name);
		SubscriptionStall stall = this.subscriptions.stalls()
			.stream()
			.filter((candidate) -> candidate.subscription().equals(name))
			.min(Comparator.comparing(SubscriptionStall::since))
			.orElse(null);
		Failure failure = activity.lastFailure();
		if (stall != null && (failure == null || stall.since().isAfter(failure.at()))) {
			failure = new Failure(stall.cause(), stall.since());
		}
		SubscriptionState state = state(paused, stall != null, lag, activity);
		return new SubscriptionStatus(name, STORE, endpoint.guarantee(), segments, state, parts, lag, activity.rate(),
				deadLetters, (failure != null) ? failure.description() : null, (failure != null) ? failure.at() : null);
	}

	private SubscriptionState state(boolean paused, boolean stalled, long lag, SubscriptionActivity.Tracker activity) {
		if (paused) {
			return SubscriptionState.PAUSED;
		}
		if (!this.subscriptions.isRunning() || !this.subscriptions.subscriptions().contains(activity.subscription())) {
			return SubscriptionState.STOPPED;
		}
		if (stalled) {
			return SubscriptionState.STALLED;
		}
		if (lag > this.options.batchSize() || activity.readingAhead()) {
			return SubscriptionState.CATCHING_UP;
		}
		return SubscriptionState.RUNNING;
	}

	@Override
	public void pause(String name) {
		endpoint(name);
		boolean changed = write("pause subscription '" + name + "'",
				(connection) -> this.pauses.set(connection, name, true, instance()));
		this.subscriptions.paused(name);
		if (changed) {
			logger.info("Subscription '{}' paused on every instance, from instance {}", name, instance());
		}
		else {
			logger.info("Subscription '{}' was paused already (pause from instance {})", name, instance());
		}
	}

	@Override
	public void resume(String name) {
		endpoint(name);
		boolean changed = write("resume subscription '" + name + "'", (connection) -> {
			boolean resumed = this.pauses.set(connection, name, false, instance());
			if (resumed) {
				notify(connection);
			}
			return resumed;
		});
		this.subscriptions.resumed(name);
		if (changed) {
			logger.info("Subscription '{}' resumed on every instance, from instance {}", name, instance());
		}
		else {
			logger.info("Subscription '{}' was not paused (resume from instance {})", name, instance());
		}
	}

	@Override
	public void reset(String name, ResetTo to) {
		endpoint(name);
		Objects.requireNonNull(to, "to");
		Reset reset = write("reset subscription '" + name + "'", (connection) -> {
			RecordKey key = point(connection, to);
			List<Checkpoint> before = this.checkpoints.reset(connection, name, key, this.subscriptions.segments(name));
			return new Reset(key, before);
		});
		this.subscriptions.reset(name);
		List<String> was = reset.before()
			.stream()
			.map((row) -> row.segment().whole() ? Long.toString(row.key().position())
					: row.segment().index() + ": " + row.key().position())
			.toList();
		logger.info("Subscription '{}' reset to {} from instance {}: it goes on after position {} (it was at {})", name,
				describe(to), instance(), reset.key().position(), was.isEmpty() ? "no checkpoint yet" : was);
	}

	private RecordKey point(Connection connection, ResetTo to) throws SQLException {
		if (to instanceof ResetTo.Earliest) {
			return RecordKey.START;
		}
		RecordKey horizon = this.head.belowCurrentHorizon(connection);
		if (to instanceof ResetTo.Position position) {
			return min(this.head.atOrBefore(connection, position.position()), horizon);
		}
		if (to instanceof ResetTo.Time time) {
			RecordKey before = this.head.before(connection, time.time());
			return (before != null) ? min(before, horizon) : horizon;
		}
		return horizon;
	}

	private static RecordKey min(RecordKey a, RecordKey b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static String describe(ResetTo to) {
		if (to instanceof ResetTo.Position position) {
			return "position " + position.position();
		}
		if (to instanceof ResetTo.Time time) {
			return "time " + time.time();
		}
		return (to instanceof ResetTo.Earliest) ? "the earliest record" : "the latest record";
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * On PostgreSQL: the names that have checkpoints, dead letters or a pause in the
	 * store's tables, but that neither this service's handlers nor a live instance (one
	 * whose heartbeat is recent) have. Every service that shares the store's schema and
	 * table prefix shares these tables, so the subscriptions of another service whose
	 * instances are all down are listed too.
	 */
	@Override
	public List<String> abandoned() {
		return read("list the abandoned subscriptions", (connection) -> {
			TreeSet<String> names = new TreeSet<>(this.checkpoints.names(connection));
			names.addAll(this.deadLetters.counts(connection).keySet());
			names.addAll(this.pauses.names(connection));
			names.removeAll(this.instances.live(connection).keySet());
			this.registry.endpoints().forEach((endpoint) -> names.remove(endpoint.subscription()));
			return List.copyOf(names);
		});
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * On PostgreSQL: deletes the subscription's checkpoint rows, dead letters and pause
	 * in one transaction. Refused for a subscription of this service's handlers, and for
	 * one a live instance runs.
	 */
	@Override
	public void forget(String name) {
		if (this.registry.find(name).isPresent()) {
			throw new IllegalStateException(
					"Subscription '" + name + "' is one of this service's handlers; it is not abandoned");
		}
		Forgotten forgotten = write("forget subscription '" + name + "'", (connection) -> {
			String live = this.instances.live(connection).get(name);
			if (live != null) {
				throw new IllegalStateException(
						"Subscription '" + name + "' still runs on instance(s) " + live + "; it is not abandoned");
			}
			int rows = this.checkpoints.delete(connection, name);
			int letters = this.deadLetters.discard(connection, name);
			this.pauses.delete(connection, name);
			return new Forgotten(rows, letters);
		});
		logger.info("Forgot abandoned subscription '{}' from instance {}: {} checkpoint row(s), {} dead letter(s)",
				name, instance(), forgotten.checkpoints(), forgotten.deadLetters());
	}

	private HandlerEndpoint endpoint(String name) {
		return this.registry.find(name).orElseThrow(() -> new UnknownSubscriptionException(name));
	}

	private String instance() {
		return this.subscriptions.instanceId();
	}

	private void notify(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, '')")) {
			statement.setString(1, this.channel);
			statement.execute();
		}
	}

	private <T> T read(String what, StoreConnections.Work<T> work) {
		return StoreConnections.read(this.dataSource, what, work);
	}

	private <T> T write(String what, StoreConnections.Work<T> work) {
		return StoreConnections.write(this.dataSource, what, work);
	}

	private record Reset(RecordKey key, List<Checkpoint> before) {
	}

	private record Forgotten(int checkpoints, int deadLetters) {
	}

}
