package io.eventy.aggregate;

import io.eventy.aggregate.BankRecords.Account;
import io.eventy.aggregate.BankRecords.AccountOpened;
import io.eventy.aggregate.BankRecords.Cart;
import io.eventy.aggregate.BankRecords.Deposited;
import io.eventy.aggregate.BankRecords.ItemAdded;
import io.eventy.store.StreamId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class AggregateTypeTests {

	private static final StreamId ACCOUNT = StreamId.of("account", "a-1");

	@Test
	void anImmutableAggregateStartsFromItsStreamConstructorAndAppliesToANewState() {
		AggregateType<Account> type = AggregateType.of(Account.class);
		Account initial = type.create(ACCOUNT);
		Account opened = type.apply(initial, new AccountOpened("ada"));
		Account deposited = type.apply(opened, new Deposited(30));
		assertThat(initial).isEqualTo(new Account("a-1", "", 0, false));
		assertThat(deposited).isEqualTo(new Account("a-1", "ada", 30, true));
		assertThat(type.name()).isEqualTo("Account");
		assertThat(type.stateType()).isEqualTo(Account.class);
		assertThat(type.payloadTypes()).containsExactlyInAnyOrder(AccountOpened.class, Deposited.class);
		assertThat(type.takePending(deposited)).isEmpty();
	}

	@Test
	void aMutableAggregateStartsFromItsConstructorWithoutParametersAndChangesInPlace() {
		AggregateType<Cart> type = AggregateType.of(Cart.class);
		Cart cart = type.create(StreamId.of("cart", "c-1"));
		cart.add("book");
		assertThat(type.takePending(cart)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactly(new ItemAdded("book"));
		assertThat(type.takePending(cart)).isEmpty();
		assertThat(type.apply(cart, new ItemAdded("book"))).isSameAs(cart);
		assertThat(cart.items()).containsExactly("book");
	}

	@Test
	void snapshotsAreOffUnlessAsked() {
		AggregateType<Account> type = AggregateType.of(Account.class);
		AggregateType<Account> snapshotting = type.withSnapshots(Snapshots.every(100).schemaVersion("2"));
		assertThat(type.snapshots().enabled()).isFalse();
		assertThat(snapshotting.snapshots()).isEqualTo(new Snapshots(100, "2"));
		assertThat(snapshotting.withSnapshots(Snapshots.never()).snapshots().enabled()).isFalse();
		assertThat(snapshotting.create(ACCOUNT)).isEqualTo(type.create(ACCOUNT));
	}

	@Test
	void aSnapshotIsDueWhenAnAppendCrossesAMultipleOfItsInterval() {
		Snapshots every10 = Snapshots.every(10);
		assertThat(every10.due(0, 9)).isFalse();
		assertThat(every10.due(9, 10)).isTrue();
		assertThat(every10.due(8, 13)).isTrue();
		assertThat(every10.due(10, 19)).isFalse();
		assertThat(Snapshots.never().due(0, 1000)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Snapshots.every(0));
		assertThatIllegalArgumentException().isThrownBy(() -> Snapshots.every(5).schemaVersion(" "));
	}

	@Test
	void refusesAClassWithoutApplyMethods() {
		assertThatIllegalArgumentException().isThrownBy(() -> AggregateType.of(NoApply.class))
			.withMessageContaining("has no @Apply method");
	}

	@Test
	void refusesAnApplyMethodWithTwoParameters() {
		assertThatIllegalArgumentException().isThrownBy(() -> AggregateType.of(TwoParameters.class))
			.withMessageContaining("must take exactly one parameter, the payload, not 2");
	}

	@Test
	void refusesAnApplyMethodThatReturnsAnotherType() {
		assertThatIllegalArgumentException().isThrownBy(() -> AggregateType.of(ReturnsString.class))
			.withMessageContaining("must return void (a mutable aggregate) or ReturnsString");
	}

	@Test
	void refusesTwoApplyMethodsOfOnePayloadType() {
		assertThatIllegalArgumentException().isThrownBy(() -> AggregateType.of(TwiceDeposited.class))
			.withMessageContaining("both apply Deposited");
	}

	@Test
	void refusesAClassWithoutASuitableConstructor() {
		assertThatIllegalArgumentException().isThrownBy(() -> AggregateType.of(NoConstructor.class))
			.withMessageContaining("needs a constructor that takes its StreamId, or one without parameters");
	}

	@Test
	void anApplyMethodThatReturnsNullIsAnError() {
		AggregateType<ReturnsNull> type = AggregateType.of(ReturnsNull.class);
		assertThatIllegalStateException().isThrownBy(() -> type.apply(new ReturnsNull(), new Deposited(1)))
			.withMessageContaining("returned null");
	}

	@Test
	void anExceptionOfAnApplyMethodReachesTheCaller() {
		AggregateType<Throws> type = AggregateType.of(Throws.class);
		assertThatIllegalStateException().isThrownBy(() -> type.apply(new Throws(), new Deposited(1)))
			.withMessage("no deposits");
	}

	static final class NoApply {

	}

	static final class TwoParameters {

		@Apply
		void deposited(Deposited deposited, String extra) {
		}

	}

	static final class ReturnsString {

		@Apply
		String deposited(Deposited deposited) {
			return "";
		}

	}

	static final class TwiceDeposited {

		@Apply
		void deposited(Deposited deposited) {
		}

		@Apply
		void depositedAgain(Deposited deposited) {
		}

	}

	static final class NoConstructor {

		NoConstructor(String name) {
		}

		@Apply
		void deposited(Deposited deposited) {
		}

	}

	static final class ReturnsNull {

		@Apply
		ReturnsNull deposited(Deposited deposited) {
			return null;
		}

	}

	static final class Throws {

		@Apply
		void deposited(Deposited deposited) {
			throw new IllegalStateException("no deposits");
		}

	}

}
