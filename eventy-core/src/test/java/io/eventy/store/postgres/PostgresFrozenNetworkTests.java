package io.eventy.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.testsupport.LogCapture;
import io.eventy.testsupport.PostgresTestDatabase;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The network between the subscriptions' connection pool and PostgreSQL freezes: the
 * connections stay open but no byte passes, and the connections have no socket timeout,
 * so a database call waits as long as the freeze lasts and never fails. The segment whose
 * call does not return is reported stalled, and moves again when the network does; a
 * handler that takes long is not a stall.
 */
class PostgresFrozenNetworkTests {

	private static final int BACKLOG = 3000;

	private static final Duration STALL_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration DEADLINE = Duration.ofSeconds(8);

	@Test
	void aSegmentWaitingOnAFrozenNetworkIsReportedStalledAndMovesAgainWhenItThaws() throws Exception {
		PGSimpleDataSource direct = backlog();
		try (FreezingProxy proxy = new FreezingProxy(PostgresTestDatabase.server().getPort());
				HikariDataSource pool = pool(proxy, direct.getDatabaseName(), Duration.ofSeconds(30));
				LogCapture log = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(pool)
					.postgresOptions(PostgresSubscriptionOptions.defaults().withStallTimeout(STALL_TIMEOUT))
					.bean("ticks", Ticks.class)
					.start()) {
			Ticks ticks = context.getBean(Ticks.class);
			PostgresSubscriptions subscriptions = context.getBean(PostgresSubscriptions.class);
			String name = subscriptions.subscriptions().get(0);
			await().atMost(DEADLINE).until(() -> ticks.handled.size() > 300);
			assertThat(subscriptions.stalls()).isEmpty();

			proxy.freeze();
			try {
				frozen(subscriptions, ticks, log, name);
			}
			finally {
				proxy.thaw();
			}
			await().atMost(DEADLINE).until(() -> ticks.handled.size() == BACKLOG && subscriptions.stalls().isEmpty());
			assertThat(log.lines((line) -> line.getLevel() == Level.INFO))
				.extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy((line) -> assertThat(line).contains("Subscription '" + name + "' segment 0/1 moves again"));
			assertThat(log.lines(PostgresFrozenNetworkTests::eventyError)).as("reported once").hasSize(1);
		}
	}

	@Test
	void aStuckCallThatFailsKeepsTheSegmentStalledSinceItBeganUntilItMovesAgain() throws Exception {
		PGSimpleDataSource direct = backlog();
		try (FreezingProxy proxy = new FreezingProxy(PostgresTestDatabase.server().getPort());
				// new connections fail soon while the network is frozen
				HikariDataSource pool = pool(proxy, direct.getDatabaseName(), Duration.ofSeconds(1));
				LogCapture log = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(pool)
					.postgresOptions(PostgresSubscriptionOptions.defaults().withStallTimeout(STALL_TIMEOUT))
					.bean("ticks", Ticks.class)
					.start()) {
			Ticks ticks = context.getBean(Ticks.class);
			PostgresSubscriptions subscriptions = context.getBean(PostgresSubscriptions.class);
			String name = subscriptions.subscriptions().get(0);
			await().atMost(DEADLINE).until(() -> ticks.handled.size() > 300);

			proxy.freeze();
			try {
				SubscriptionStall hung = await().atMost(DEADLINE)
					.until(subscriptions::stalls, (found) -> !found.isEmpty())
					.get(0);
				// the connections break: the stuck call fails, and so do new ones
				proxy.cut();
				SubscriptionStall failing = await().atMost(DEADLINE)
					.until(subscriptions::stalls,
							(found) -> found.size() == 1
									&& !found.get(0).cause().startsWith("a database call has not returned"))
					.get(0);
				assertThat(failing.subscription()).isEqualTo(name);
				assertThat(failing.since()).as("stalled since the stuck call began")
					.isCloseTo(hung.since(), within(200, ChronoUnit.MILLIS));
			}
			finally {
				proxy.thaw();
			}
			await().atMost(DEADLINE).until(() -> ticks.handled.size() == BACKLOG && subscriptions.stalls().isEmpty());
			assertThat(log.lines(PostgresFrozenNetworkTests::eventyError))
				.extracting(ILoggingEvent::getFormattedMessage)
				.as("reported once")
				.singleElement(InstanceOfAssertFactories.STRING)
				.contains("Subscription '" + name + "' segment 0/1 is stalled", "has not returned");
			assertThat(log.lines((line) -> line.getLevel() == Level.INFO))
				.extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy((line) -> assertThat(line).contains("Subscription '" + name + "' segment 0/1 moves again"));
		}
	}

	@Test
	void aHandlerSlowerThanTheStallTimeoutIsNotAStallOfEitherGuarantee() throws Exception {
		PGSimpleDataSource direct = PostgresHandlerFixture.database();
		PostgresEventStore store = PostgresHandlerFixture.store(direct);
		store.publish(new Tick(0));
		Duration stallTimeout = Duration.ofMillis(500);
		try (LogCapture log = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(direct)
					.postgresOptions(PostgresSubscriptionOptions.defaults().withStallTimeout(stallTimeout))
					.bean("slow", SlowTicks.class)
					.start()) {
			SlowTicks slow = context.getBean(SlowTicks.class);
			PostgresSubscriptions subscriptions = context.getBean(PostgresSubscriptions.class);
			try {
				await().atMost(DEADLINE).until(() -> slow.entered.getCount() == 0);
				await().during(stallTimeout.multipliedBy(3))
					.atMost(stallTimeout.multipliedBy(4))
					.until(() -> subscriptions.stalls().isEmpty());
			}
			finally {
				slow.release.countDown();
			}
			await().atMost(DEADLINE).until(() -> slow.handled.get() == 2);
			assertThat(subscriptions.stalls()).isEmpty();
			assertThat(log.lines(PostgresFrozenNetworkTests::eventyError)).isEmpty();
		}
	}

	/**
	 * Create a database with a backlog of records.
	 * @return its data source, not through the proxy
	 */
	private static PGSimpleDataSource backlog() {
		PGSimpleDataSource direct = PostgresHandlerFixture.database();
		PostgresEventStore store = PostgresHandlerFixture.store(direct);
		for (int stream = 0; stream < BACKLOG / 100; stream++) {
			List<Tick> ticks = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				ticks.add(new Tick(stream * 100 + i));
			}
			store.append(StreamId.of("ticks", "s" + stream), ExpectedVersion.any(), ticks);
		}
		return direct;
	}

	/**
	 * While the network is frozen: the segment is reported stalled within the deadline,
	 * with one error naming it.
	 */
	private static void frozen(PostgresSubscriptions subscriptions, Ticks ticks, LogCapture log, String name) {
		List<SubscriptionStall> stalls = await().atMost(DEADLINE)
			.until(subscriptions::stalls, (found) -> !found.isEmpty());
		assertThat(ticks.handled).as("still catching up when the network froze").hasSizeLessThan(BACKLOG);
		assertThat(stalls).singleElement().satisfies((stall) -> {
			assertThat(stall.subscription()).isEqualTo(name);
			assertThat(stall.segment()).isZero();
			assertThat(stall.cause()).startsWith("a database call has not returned for");
		});
		assertThat(log.lines(PostgresFrozenNetworkTests::eventyError)).extracting(ILoggingEvent::getFormattedMessage)
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains("Subscription '" + name + "' segment 0/1 is stalled", "has not returned");
		assertThat(subscriptions.stalls()).as("still stalled").hasSize(1);
	}

	private static boolean eventyError(ILoggingEvent line) {
		return line.getLevel() == Level.ERROR && line.getLoggerName().startsWith("io.eventy");
	}

	private static HikariDataSource pool(FreezingProxy proxy, String database, Duration connectionTimeout) {
		HikariDataSource pool = new HikariDataSource();
		// no socket timeout: a call on a frozen network waits until it thaws
		pool.setJdbcUrl("jdbc:postgresql://localhost:" + proxy.port() + "/" + database);
		pool.setUsername("postgres");
		pool.setMaximumPoolSize(6);
		pool.setConnectionTimeout(connectionTimeout.toMillis());
		return pool;
	}

	@RecordType(namespace = "urn:shop")
	record Tick(int number) {
	}

	static class Ticks {

		final Map<Long, AtomicInteger> handled = new ConcurrentHashMap<>();

		@EventHandler
		void handle(Tick tick, StoredRecord record) {
			// a millisecond of work per record, so that the backlog takes a few seconds
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			this.handled.computeIfAbsent(record.position(), (position) -> new AtomicInteger()).incrementAndGet();
		}

	}

	static class SlowTicks {

		final CountDownLatch entered = new CountDownLatch(2);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger handled = new AtomicInteger();

		@EventHandler
		void atLeastOnce(Tick tick) throws InterruptedException {
			work();
		}

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void exactlyOnce(Tick tick) throws InterruptedException {
			work();
		}

		private void work() throws InterruptedException {
			this.entered.countDown();
			this.release.await();
			this.handled.incrementAndGet();
		}

	}

	/**
	 * Forwards TCP connections to a port; frozen, it holds every byte it reads and passes
	 * none on, without closing a connection, until it thaws.
	 */
	static final class FreezingProxy implements AutoCloseable {

		private final int target;

		private final ServerSocket server;

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		private final Object lock = new Object();

		private boolean frozen;

		FreezingProxy(int target) throws IOException {
			this.target = target;
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			start("proxy-accept", this::accept);
		}

		int port() {
			return this.server.getLocalPort();
		}

		void freeze() {
			synchronized (this.lock) {
				this.frozen = true;
			}
		}

		/**
		 * Close every connection open now, as a network that fails at last does.
		 */
		void cut() {
			this.sockets.forEach(FreezingProxy::close);
		}

		void thaw() {
			synchronized (this.lock) {
				this.frozen = false;
				this.lock.notifyAll();
			}
		}

		private void accept() {
			try {
				while (true) {
					Socket client = this.server.accept();
					Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
					this.sockets.add(client);
					this.sockets.add(upstream);
					start("proxy-up", () -> pump(client, upstream));
					start("proxy-down", () -> pump(upstream, client));
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		private void pump(Socket from, Socket to) {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					synchronized (this.lock) {
						while (this.frozen) {
							this.lock.wait();
						}
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				close(from);
				close(to);
			}
		}

		private static void start(String name, Runnable task) {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			thread.start();
		}

		private static void close(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closed already
			}
		}

		@Override
		public void close() throws IOException {
			thaw();
			this.server.close();
			this.sockets.forEach(FreezingProxy::close);
		}

	}

}
