package io.eventy.test;

import java.util.List;

import io.eventy.aggregate.AggregateType;
import io.eventy.store.StreamId;
import io.eventy.test.fixture.Account;
import io.eventy.test.fixture.AccountOpened;
import io.eventy.test.fixture.Basket;
import io.eventy.test.fixture.Deposited;
import io.eventy.test.fixture.ItemAdded;
import io.eventy.test.fixture.StatementSent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AggregateFixtureTests {

	@Test
	void givenPastPayloadsAppliedInOrderThenTheCommandsNewPayloadsAndTheStateAfterThem() {
		AggregateFixture.of(Account.class)
			.given(new AccountOpened("Ada"), new Deposited(100))
			.when((account) -> account.deposit(250, 2))
			.then(new Deposited(250), new Deposited(250))
			.thenState((account) -> assertThat(account.balanceCents()).isEqualTo(600));
	}

	@Test
	void createsTheInitialStateForTheStreamAndSkipsPayloadsTheAggregateDoesNotApply() {
		Account account = AggregateFixture.of(Account.class)
			.inStream(StreamId.of("account", "acc-7"))
			.given(new AccountOpened("Ada"), new StatementSent("2026-11"))
			.state();
		assertThat(account).isEqualTo(new Account("acc-7", "Ada", 0));
	}

	@Test
	void thenThrowsReturnsTheExceptionTheCommandThrew() {
		IllegalStateException thrown = AggregateFixture.of(Account.class)
			.given(new AccountOpened("Ada"))
			.when((account) -> account.open("Grace"))
			.thenThrows(IllegalStateException.class);
		assertThat(thrown).hasMessage("Account fixture is open already");
	}

	@Test
	void takesThePayloadsAMutableAggregateRecordedAfterThoseTheCommandReturned() {
		AggregateFixture.of(AggregateType.of(Basket.class)).given(new ItemAdded("tea")).when((basket) -> {
			basket.add("milk");
			return List.of(new StatementSent("never applied"));
		})
			.then(new StatementSent("never applied"), new ItemAdded("milk"))
			.thenState((basket) -> assertThat(basket.items()).containsExactly("tea", "milk"));
	}

	@Test
	void failsWhenTheCommandDecidesOtherPayloadsShowingBoth() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> AggregateFixture.of(Account.class)
				.given(new AccountOpened("Ada"))
				.when((account) -> account.deposit(100, 1))
				.then(new Deposited(200)))
			.withMessage("Expecting the command to decide [Deposited[amountCents=200]]\n"
					+ "but it decided [Deposited[amountCents=100]]");
	}

	@Test
	void failsWhenAnExceptionWasExpectedButTheCommandDecidedPayloads() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> AggregateFixture.of(Account.class)
				.given(new AccountOpened("Ada"))
				.when((account) -> account.deposit(100, 1))
				.thenThrows(IllegalStateException.class))
			.withMessageContaining("Expecting the command to throw java.lang.IllegalStateException")
			.withMessageContaining("but it decided [Deposited[amountCents=100]]");
	}

	@Test
	void failsWhenTheCommandThrewSomethingElseOrThrewWhilePayloadsWereExpected() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> AggregateFixture.of(Account.class)
				.when((account) -> account.deposit(100, 1))
				.thenThrows(IllegalArgumentException.class))
			.withMessageContaining("but it threw java.lang.IllegalStateException: Account fixture is not open");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> AggregateFixture.of(Account.class).when((account) -> account.deposit(100, 1)).then())
			.withMessageContaining("Expecting the command to decide payloads but it threw")
			.withCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void aCommandThatDecidesNothingPassesAnEmptyThen() {
		AggregateFixture.of(Basket.class).when((basket) -> List.of()).then();
	}

}
