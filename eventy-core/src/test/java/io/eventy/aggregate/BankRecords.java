package io.eventy.aggregate;

import java.util.ArrayList;
import java.util.List;

import io.eventy.record.RecordType;
import io.eventy.store.StreamId;

/**
 * Record types and aggregates of the aggregate tests: an immutable account and a mutable
 * cart.
 */
final class BankRecords {

	static final String NAMESPACE = "urn:bank";

	private BankRecords() {
	}

	@RecordType(namespace = NAMESPACE, name = "AccountOpened")
	record AccountOpened(String owner) {
	}

	@RecordType(namespace = NAMESPACE, name = "Deposited")
	record Deposited(long amount) {
	}

	@RecordType(namespace = NAMESPACE, name = "AccountNoted")
	record AccountNoted(String text) {
	}

	@RecordType(namespace = NAMESPACE, name = "ItemAdded")
	record ItemAdded(String item) {
	}

	/** An immutable aggregate: its apply methods return the next state. */
	record Account(String id, String owner, long balance, boolean open) {

		Account(StreamId stream) {
			this(stream.id(), "", 0, false);
		}

		@Apply
		Account opened(AccountOpened opened) {
			return new Account(this.id, opened.owner(), this.balance, true);
		}

		@Apply
		Account deposited(Deposited deposited) {
			return new Account(this.id, this.owner, this.balance + deposited.amount(), this.open);
		}

		List<Object> open(String owner) {
			if (this.open) {
				throw new IllegalStateException("Account " + this.id + " is open already");
			}
			return List.of(new AccountOpened(owner));
		}

		List<Object> deposit(long amount) {
			if (!this.open) {
				throw new IllegalStateException("Account " + this.id + " is not open");
			}
			return List.of(new Deposited(amount));
		}

	}

	/** A mutable aggregate: commands record payloads, apply methods change it. */
	static final class Cart implements PendingRecords {

		private final List<String> items = new ArrayList<>();

		private final List<Object> pending = new ArrayList<>();

		Cart() {
		}

		@Apply
		void added(ItemAdded added) {
			this.items.add(added.item());
		}

		void add(String item) {
			if (this.items.contains(item)) {
				throw new IllegalStateException(item + " is in the cart already");
			}
			this.pending.add(new ItemAdded(item));
		}

		List<String> items() {
			return this.items;
		}

		@Override
		public List<?> takePending() {
			List<Object> taken = List.copyOf(this.pending);
			this.pending.clear();
			return taken;
		}

	}

}
