package io.eventy.store.postgres;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventy.handler.ChildJvm;
import io.eventy.handler.EventHandler;
import io.eventy.handler.HandlerOnlyApplication;
import io.eventy.handler.HandlerOnlyApplicationAssertions;
import io.eventy.record.RecordType;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresHandlerLifecycleTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void stoppingFinishesTheRecordInFlightAndLeavesTheRestOfTheBatchForTheNextStart() throws Exception {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		for (int i = 1; i <= 3; i++) {
			store.publish(new OrderPlaced("o-" + i));
		}
		CountDownLatch release = new CountDownLatch(1);
		List<String> handled = new CopyOnWriteArrayList<>();
		AnnotationConfigApplicationContext first = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class, () -> new Projection(handled, release))
			.start();
		await().atMost(DEADLINE).until(() -> handled.size() == 1);
		CompletableFuture<Void> closed = CompletableFuture.runAsync(first::close);
		await().atMost(DEADLINE).until(() -> !first.getBean(PostgresSubscriptions.class).isRunning());
		release.countDown();
		closed.get(10, TimeUnit.SECONDS);
		assertThat(handled).containsExactly("o-1");
		try (AnnotationConfigApplicationContext second = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class, () -> new Projection(handled, null))
			.start()) {
			await().atMost(DEADLINE).until(() -> handled.size() == 3);
			assertThat(handled).containsExactly("o-1", "o-2", "o-3");
		}
	}

	@Test
	void subscriptionsRunOnlyWhileTheContextRuns() {
		List<String> handled = new CopyOnWriteArrayList<>();
		AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class, () -> new Projection(handled, null))
			.start();
		PostgresSubscriptions subscriptions = context.getBean(PostgresSubscriptions.class);
		assertThat(subscriptions.isRunning()).isTrue();
		assertThat(subscriptions.subscriptions()).containsExactly("projection.on");
		context.close();
		assertThat(subscriptions.isRunning()).isFalse();
		assertThat(subscriptions.subscriptions()).isEmpty();
		PostgresHandlerFixture.store(this.dataSource).publish(new OrderPlaced("late"));
		await().during(Duration.ofMillis(500)).atMost(DEADLINE).until(handled::isEmpty);
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().startsWith("eventy-subscription-") && thread.isAlive());
	}

	@Test
	void anApplicationWhoseOnlyWorkIsHandlingRecordsRunsAfterMainReturnedAndStopsCleanlyOnSigterm() throws Exception {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		for (int i = 1; i <= 3; i++) {
			store.publish(new HandlerOnlyApplication.OrderPlaced("backlog-" + i));
		}
		try (ChildJvm application = ChildJvm.start(HandlerOnlyApplication.class, "postgres", this.dataSource.getURL(),
				this.dataSource.getUser())) {
			HandlerOnlyApplicationAssertions.runsAfterMainReturnedAndStopsCleanlyOnSigterm(application,
					(orderId) -> store.publish(new HandlerOnlyApplication.OrderPlaced(orderId)));
		}
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	static class Projection {

		private final List<String> handled;

		private final CountDownLatch release;

		Projection(List<String> handled, CountDownLatch release) {
			this.handled = handled;
			this.release = release;
		}

		@EventHandler
		void on(OrderPlaced event) throws InterruptedException {
			this.handled.add(event.orderId());
			if (this.release != null) {
				assertThat(this.release.await(10, TimeUnit.SECONDS)).isTrue();
			}
		}

	}

}
