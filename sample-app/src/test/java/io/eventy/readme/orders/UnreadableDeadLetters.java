package io.eventy.readme.orders;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's example of dead letters whose stored record cannot be read.
 */
class UnreadableDeadLetters {

	private static final Logger logger = LoggerFactory.getLogger(UnreadableDeadLetters.class);

	void report(DeadLetters deadLetters) {
		for (DeadLetter letter : deadLetters.list("billing.onOrderPlaced")) {
			if (!letter.readable()) {
				logger.warn("Dead letter {} ({}) cannot be read: {}; stored as {}", letter.id(), letter.uuid(),
						letter.unreadable(), letter.json());
			}
		}
	}

}
