package io.eventy.readme.testing;

import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.test.EventyTest;
import io.eventy.test.EventyTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static io.eventy.test.EventyAssertions.assertThat;

@SpringBootTest
@EventyTest
class InvoicingTests {

	@Autowired
	private EventStore store;

	@Autowired
	private EventyTestSupport eventy;

	@Test
	void issuesAnInvoiceForEachPlacedOrder() {
		this.store.append(StreamId.of("order", "42"), ExpectedVersion.noStream(), new OrderPlaced("42", 1200));

		this.eventy.awaitIdle(); // until the handlers are done

		assertThat(this.eventy.recorded()) // the records stored since the test started
			.containsRecord(InvoiceIssued.class)
			.withPayload(new InvoiceIssued("42", 1200));
	}

}
