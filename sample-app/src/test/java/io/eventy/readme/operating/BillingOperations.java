package io.eventy.readme.operating;

import java.time.Instant;
import java.util.UUID;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.ResetTo;
import io.eventy.handler.SubscriptionStatus;
import io.eventy.handler.Subscriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

@Component
class BillingOperations {

	private static final Logger logger = LoggerFactory.getLogger(BillingOperations.class);

	private final Subscriptions subscriptions;

	private final DeadLetters deadLetters;

	BillingOperations(Subscriptions subscriptions, DeadLetters deadLetters) {
		this.subscriptions = subscriptions;
		this.deadLetters = deadLetters;
	}

	void report() {
		for (SubscriptionStatus status : this.subscriptions.list()) {
			logger.info("{}: {}, {} behind, {} records/s, {} dead letter(s), last error {} at {}", status.name(),
					status.state(), status.lag(), status.rate(), status.deadLetters(), status.lastError(),
					status.lastErrorAt());
		}
	}

	void replayNovember() {
		// hold billing on every instance while the fixed version rolls out, then replay
		this.subscriptions.pause("billing.onOrderPlaced");
		this.subscriptions.reset("billing.onOrderPlaced", ResetTo.time(Instant.parse("2026-11-01T00:00:00Z")));
		this.subscriptions.resume("billing.onOrderPlaced");
	}

	void cleanUp() {
		for (DeadLetter letter : this.deadLetters.list("billing.onOrderPlaced", 0, 50)) {
			UUID uuid = letter.uuid();
			if (uuid != null && letter.readable()) {
				// handled again, before newer records
				this.deadLetters.redrive("billing.onOrderPlaced", uuid);
			}
			else if (uuid != null) {
				// dropped; the record stays
				this.deadLetters.discard("billing.onOrderPlaced", uuid);
			}
		}
		for (String abandoned : this.subscriptions.abandoned()) {
			this.subscriptions.forget(abandoned);
		}
	}

}
