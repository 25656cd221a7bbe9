package io.eventy.test;

import java.time.Duration;
import java.util.UUID;

import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.test.app.Billing;
import io.eventy.test.app.Gate;
import io.eventy.test.app.InvoiceIssued;
import io.eventy.test.app.OrderPlaced;
import io.eventy.test.app.ParcelScanned;
import io.eventy.test.app.TestShopApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@SpringBootTest(classes = TestShopApplication.class)
@EventyTest
class EventyTestSupportPostgresTests {

	@Autowired
	private EventyTestSupport eventy;

	@Autowired
	private EventStore store;

	@Autowired
	private Billing billing;

	@Autowired
	private Gate gate;

	private String setUpOrder;

	@BeforeEach
	void placeAnOrderBeforeTheTest() {
		this.setUpOrder = UUID.randomUUID().toString();
		place(this.setUpOrder, 100);
	}

	@Test
	void awaitsUntilTheHandlersHandledEveryRecordStoredSoFarAndWhatTheyEmitted() {
		String first = UUID.randomUUID().toString();
		String second = UUID.randomUUID().toString();
		place(first, 1200);
		place(second, 3400);
		this.eventy.awaitIdle();
		assertThat(this.billing.invoiced()).contains(this.setUpOrder, first, second);
		// the order placed in @BeforeEach is not the test's, its invoice (issued during
		// the test) is
		assertThat(this.eventy.recorded()).filteredOn((record) -> record.record().name().equals("OrderPlaced"))
			.map((record) -> record.payload(OrderPlaced.class).orderId())
			.containsExactly(first, second);
		assertThat(this.eventy.recorded()).filteredOn((record) -> record.record().name().equals("InvoiceIssued"))
			.map((record) -> record.payload(InvoiceIssued.class).orderId())
			.containsExactlyInAnyOrder(this.setUpOrder, first, second);
	}

	@Test
	void failsAfterTheTimeoutNamingTheSubscriptionThatIsBehind() {
		this.eventy.awaitIdle();
		this.gate.close();
		try {
			this.store.publish(new ParcelScanned("p-1"));
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> this.eventy.awaitIdle(Duration.ofMillis(300)))
				.withMessageContaining("did not handle every stored record within PT0.3S")
				.withMessageContaining("gate: 1 record(s) behind");
		}
		finally {
			this.gate.open();
		}
		this.eventy.awaitIdle();
	}

	@Test
	void readsTheRecordsCommittedSinceTheTestStartedOrSinceAMark() {
		String before = UUID.randomUUID().toString();
		String after = UUID.randomUUID().toString();
		place(before, 1);
		EventyTestSupport.Mark mark = this.eventy.mark();
		place(after, 2);
		assertThat(this.eventy.recorded(mark)).filteredOn((record) -> record.record().name().equals("OrderPlaced"))
			.map((record) -> record.payload(OrderPlaced.class).orderId())
			.containsExactly(after);
		assertThat(this.eventy.recorded()).filteredOn((record) -> record.record().name().equals("OrderPlaced"))
			.map((record) -> record.payload(OrderPlaced.class).orderId())
			.containsExactly(before, after);
		assertThat(this.eventy.recorded()).map(StoredRecord::position).isSorted();
	}

	private void place(String orderId, long amountCents) {
		this.store.append(StreamId.of("order", orderId), ExpectedVersion.noStream(),
				new OrderPlaced(orderId, amountCents));
	}

}
