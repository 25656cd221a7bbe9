package io.eventy.readme.accounts;

import java.util.List;

import io.eventy.aggregate.Apply;
import io.eventy.store.StreamId;

/**
 * The README's immutable aggregate: a Java record whose apply methods return the next
 * state and whose commands return the payloads they decide.
 *
 * @param id the account id
 * @param owner who owns it, empty until it is open
 * @param balanceCents its balance
 */
record Account(String id, String owner, long balanceCents) {

	Account(StreamId stream) {
		this(stream.id(), "", 0);
	}

	List<Object> open(String owner) {
		if (!this.owner.isEmpty()) {
			throw new IllegalStateException("Account " + this.id + " is open already");
		}
		return List.of(new AccountOpened(owner));
	}

	List<Object> deposit(long amountCents) {
		if (this.owner.isEmpty()) {
			throw new IllegalStateException("Account " + this.id + " is not open");
		}
		return List.of(new Deposited(amountCents));
	}

	@Apply
	Account opened(AccountOpened opened) {
		return new Account(this.id, opened.owner(), this.balanceCents);
	}

	@Apply
	Account deposited(Deposited deposited) {
		return new Account(this.id, this.owner, this.balanceCents + deposited.amountCents());
	}

}
