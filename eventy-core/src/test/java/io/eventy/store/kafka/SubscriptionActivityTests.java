package io.eventy.store.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.eventy.testsupport.LogCapture;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SubscriptionActivity}.
 */
class SubscriptionActivityTests {

	private static final TopicPartition PARTITION = new TopicPartition("orders-events", 0);

	private final MutableClock clock = new MutableClock();

	private final SubscriptionActivity activity = new SubscriptionActivity("billing", this.clock);

	@SuppressWarnings("deprecation")
	private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);

	@Test
	void measuresThePositionAndLagOfTheConsumersPartitions() {
		at(0, 1000);

		this.activity.measure(this.consumer);

		assertThat(this.activity.position()).isZero();
		assertThat(this.activity.lag()).isEqualTo(1000);
	}

	@Test
	void logsProgressAtMostEveryTenSecondsWhileCatchingUpWithRateAndTimeLeft() {
		try (LogCapture log = LogCapture.start()) {
			at(0, 1000);
			this.activity.measure(this.consumer);
			at(100, 1000);
			this.clock.advance(Duration.ofSeconds(5));
			this.activity.measure(this.consumer);
			assertThat(progress(log)).isEmpty();

			at(200, 1000);
			this.clock.advance(Duration.ofSeconds(5));
			this.activity.measure(this.consumer);
			at(250, 1000);
			this.clock.advance(Duration.ofSeconds(1));
			this.activity.measure(this.consumer);

			assertThat(progress(log)).singleElement()
				.isEqualTo("Subscription billing catching up in this instance: position 200, lag 800, 20.0 records/s, "
						+ "caught up in about PT40S");
			at(1000, 1000);
			this.clock.advance(Duration.ofSeconds(1));
			this.activity.measure(this.consumer);
			assertThat(progress(log)).last()
				.isEqualTo("Subscription billing caught up in this instance at position 1000");
		}
	}

	@Test
	void aBacklogShorterThanTheIntervalIsNotLogged() {
		try (LogCapture log = LogCapture.start()) {
			at(0, 10);
			this.activity.measure(this.consumer);
			at(10, 10);
			this.clock.advance(Duration.ofSeconds(1));
			this.activity.measure(this.consumer);

			assertThat(progress(log)).isEmpty();
		}
	}

	@Test
	void rateCountsTheRecordsDoneWithOverTheLastMinute() {
		this.clock.advance(Duration.ofMinutes(2));
		for (int i = 0; i < 120; i++) {
			this.activity.done(PARTITION);
		}
		assertThat(this.activity.rate()).isEqualTo(2.0);
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(this.activity.rate()).isZero();
	}

	@Test
	void aFailureIsTheLastErrorAndFailsItsPartitionUntilItsRecordIsDoneWith() {
		TopicPartition other = new TopicPartition("orders-events", 1);
		this.activity.failed(PARTITION, new IllegalStateException("boom"));
		Instant failedAt = this.clock.instant();
		this.clock.advance(Duration.ofSeconds(1));

		assertThat(this.activity.lastError()).isEqualTo("java.lang.IllegalStateException: boom");
		assertThat(this.activity.lastErrorAt()).isEqualTo(failedAt);
		this.activity.failed(PARTITION, new IllegalStateException("boom again"));
		this.activity.done(other);
		assertThat(this.activity.failingSince()).isEqualTo(failedAt);
		this.activity.done(PARTITION);
		assertThat(this.activity.failingSince()).isNull();
		assertThat(this.activity.lastError()).isEqualTo("java.lang.IllegalStateException: boom again");
	}

	private void at(long position, long end) {
		if (this.consumer.assignment().isEmpty()) {
			this.consumer.assign(List.of(PARTITION));
			this.consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
		}
		this.consumer.updateEndOffsets(Map.of(PARTITION, end));
		this.consumer.seek(PARTITION, position);
	}

	private static List<String> progress(LogCapture log) {
		return log
			.lines((line) -> line.getLevel() == Level.INFO
					&& line.getLoggerName().equals(SubscriptionActivity.class.getName()))
			.stream()
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
