package io.eventy.readme.accounts;

import java.util.ArrayList;
import java.util.List;

import io.eventy.aggregate.Apply;
import io.eventy.aggregate.PendingRecords;

/**
 * The README's mutable aggregate: its commands record payloads, its apply methods change
 * it.
 */
class Cart implements PendingRecords {

	private final List<String> items = new ArrayList<>();

	private final List<Object> pending = new ArrayList<>();

	void add(String item) {
		if (this.items.size() == 10) {
			throw new IllegalStateException("A cart holds 10 items at most");
		}
		this.pending.add(new ItemAdded(item));
	}

	@Apply
	void added(ItemAdded added) {
		this.items.add(added.item());
	}

	@Override
	public List<?> takePending() {
		List<Object> taken = List.copyOf(this.pending);
		this.pending.clear();
		return taken;
	}

}
