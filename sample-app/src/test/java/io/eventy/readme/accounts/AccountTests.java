package io.eventy.readme.accounts;

import io.eventy.test.AggregateFixture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's aggregate fixture example, run on the README's {@link Account}.
 */
class AccountTests {

	@Test
	void depositsIntoAnOpenAccount() {
		AggregateFixture.of(Account.class)
			.given(new AccountOpened("Ada"), new Deposited(100))
			.when((account) -> account.deposit(250))
			.then(new Deposited(250))
			.thenState((account) -> assertThat(account.balanceCents()).isEqualTo(350));
	}

	@Test
	void refusesToOpenAnAccountTwice() {
		AggregateFixture.of(Account.class)
			.given(new AccountOpened("Ada"))
			.when((account) -> account.open("Grace"))
			.thenThrows(IllegalStateException.class);
	}

}
