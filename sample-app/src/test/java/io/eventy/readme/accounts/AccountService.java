package io.eventy.readme.accounts;

import java.util.List;

import io.eventy.aggregate.Aggregate;
import io.eventy.aggregate.AggregateType;
import io.eventy.aggregate.Aggregates;
import io.eventy.aggregate.Snapshots;
import io.eventy.store.StreamId;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The README's aggregate example: commands through {@link Aggregates#update}.
 */
@Service
class AccountService {

	static final AggregateType<Account> ACCOUNT = AggregateType.of(Account.class).withSnapshots(Snapshots.every(100));

	static final AggregateType<Cart> CART = AggregateType.of(Cart.class);

	private final Aggregates aggregates;

	AccountService(Aggregates aggregates) {
		this.aggregates = aggregates;
	}

	void open(String id, String owner) {
		this.aggregates.update(StreamId.of("account", id), ACCOUNT, (account) -> account.open(owner));
	}

	@Transactional
	long deposit(String id, long amountCents) {
		Aggregate<Account> account = this.aggregates.update(StreamId.of("account", id), ACCOUNT,
				(current) -> current.deposit(amountCents));
		return account.state().balanceCents();
	}

	void addToCart(String cartId, String item) {
		this.aggregates.update(StreamId.of("cart", cartId), CART, (cart) -> {
			cart.add(item);
			return List.of();
		});
	}

}
