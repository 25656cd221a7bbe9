package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import io.eventy.handler.StartPosition;
import io.eventy.store.postgres.SubscriptionCheckpoints.Owner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkpoint of a segment as its worker moves it, on a real database: deferred moves
 * while catching up reach the row every tenth batch, and before anything else reads or
 * changes it.
 */
class SubscriptionCheckpointTests {

	private static final String SUBSCRIPTION = "orders.on";

	private static final String INSTANCE = "instance-1";

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	private final SubscriptionCheckpoints checkpoints = new SubscriptionCheckpoints(PostgresHandlerFixture.SETTINGS);

	private final Owner owner = new Owner(SUBSCRIPTION, new Segment(0, 1), INSTANCE);

	@BeforeEach
	void claimTheSegment() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			this.checkpoints.ensure(connection, SUBSCRIPTION, 1, StartPosition.EARLIEST, INSTANCE);
			assertThat(this.checkpoints.claim(connection, SUBSCRIPTION, INSTANCE, 1, Duration.ofMinutes(1)))
				.containsExactly(0);
		}
	}

	@Test
	void movesAfterFullBatchesReachTheRowEveryTenthBatchAndTheWorkerGoesOnFromEachOne() throws SQLException {
		SubscriptionCheckpoint checkpoint = checkpoint(Duration.ofHours(1));
		RecordKey expected = RecordKey.START;
		for (int batch = 1; batch <= SubscriptionCheckpoint.MOST_DEFERRED_BATCHES; batch++) {
			assertThat(checkpoint.deferTo(expected, key(batch), NextStep.CONTINUE)).isEqualTo(NextStep.CONTINUE);
			Checkpoint moved = checkpoint.takeMoved();
			assertThat(moved).isNotNull();
			assertThat(moved.key()).isEqualTo(key(batch));
			assertThat(moved.failedAttempts()).isZero();
			assertThat(row()).isEqualTo(RecordKey.START);
			expected = moved.key();
		}
		checkpoint.deferTo(expected, key(10), NextStep.CONTINUE);
		assertThat(row()).isEqualTo(key(10));
		assertThat(checkpoint.takeMoved().key()).isEqualTo(key(10));
		checkpoint.deferTo(key(10), key(11), NextStep.CONTINUE);
		assertThat(row()).isEqualTo(key(10));
	}

	@Test
	void aDeferredMoveReachesTheRowWithTheNextMoveAtTheHead() throws SQLException {
		SubscriptionCheckpoint checkpoint = checkpoint(Duration.ofHours(1));
		checkpoint.deferTo(RecordKey.START, key(1), NextStep.CONTINUE);
		checkpoint.deferTo(key(1), key(2), NextStep.CONTINUE);
		assertThat(checkpoint.moveTo(key(2), key(3), NextStep.AT_HEAD)).isEqualTo(NextStep.AT_HEAD);
		assertThat(row()).isEqualTo(key(3));
	}

	@Test
	void aDeferredMoveReachesTheRowWhenTheHeadHoldsNothingMore() throws SQLException {
		SubscriptionCheckpoint checkpoint = checkpoint(Duration.ofHours(1));
		checkpoint.deferTo(RecordKey.START, key(1), NextStep.CONTINUE);
		assertThat(checkpoint.moveTo(key(1), key(1), NextStep.AT_HEAD)).isEqualTo(NextStep.AT_HEAD);
		assertThat(row()).isEqualTo(key(1));
	}

	@Test
	void aDeferredMoveReachesTheRowBeforeAFailureIsCountedAndBeforeTheRowIsRead() throws SQLException {
		SubscriptionCheckpoint checkpoint = checkpoint(Duration.ofHours(1));
		checkpoint.deferTo(RecordKey.START, key(1), NextStep.CONTINUE);
		assertThat(checkpoint.recordFailure(key(1), 1, "failed")).isTrue();
		Checkpoint failed = read(checkpoint);
		assertThat(failed.key()).isEqualTo(key(1));
		assertThat(failed.failedAttempts()).isOne();
		checkpoint.moveTo(key(1), key(2), NextStep.CONTINUE);
		checkpoint.deferTo(key(2), key(3), NextStep.CONTINUE);
		assertThat(read(checkpoint).key()).isEqualTo(key(3));
		assertThat(checkpoint.takeMoved()).isNull();
	}

	@Test
	void aDeferredMoveReachesTheRowWhenTheWorkerFlushesOnStopping() throws SQLException {
		SubscriptionCheckpoint checkpoint = checkpoint(Duration.ofHours(1));
		checkpoint.deferTo(RecordKey.START, key(1), NextStep.CONTINUE);
		assertThat(checkpoint.flush()).isTrue();
		assertThat(row()).isEqualTo(key(1));
		assertThat(checkpoint.flush()).isTrue();
	}

	@Test
	void noMoveIsDeferredOnceTheTimeIsUp() throws SQLException {
		SubscriptionCheckpoint checkpoint = checkpoint(Duration.ZERO);
		checkpoint.deferTo(RecordKey.START, key(1), NextStep.CONTINUE);
		assertThat(row()).isEqualTo(key(1));
	}

	@Test
	void aDeferredMoveOfASegmentAnotherInstanceTookOverIsRefused() throws SQLException {
		SubscriptionCheckpoint checkpoint = checkpoint(Duration.ofHours(1));
		checkpoint.deferTo(RecordKey.START, key(1), NextStep.CONTINUE);
		new JdbcTemplate(this.dataSource).update("UPDATE eventy_subscriptions SET owner = 'instance-2'");
		assertThat(checkpoint.moveTo(key(1), key(2), NextStep.AT_HEAD)).isEqualTo(NextStep.LOST);
		assertThat(row()).isEqualTo(RecordKey.START);
		assertThat(checkpoint.takeMoved()).isNull();
	}

	private SubscriptionCheckpoint checkpoint(Duration mostDeferredTime) {
		return new SubscriptionCheckpoint(this.checkpoints, this.owner, this.dataSource, mostDeferredTime);
	}

	private Checkpoint read(SubscriptionCheckpoint checkpoint) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			Checkpoint read = checkpoint.read(connection);
			assertThat(read).isNotNull();
			return read;
		}
	}

	private RecordKey row() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			Checkpoint row = this.checkpoints.read(connection, SUBSCRIPTION, 0);
			assertThat(row).isNotNull();
			return row.key();
		}
	}

	private static RecordKey key(int batch) {
		return new RecordKey(1000, batch * 100L);
	}

}
