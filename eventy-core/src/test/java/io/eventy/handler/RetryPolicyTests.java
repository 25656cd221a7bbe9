package io.eventy.handler;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryPolicyTests {

	@Test
	void defaultsAreTheOriginalEventysTenAttemptsFromOneSecondDoubling() {
		RetryPolicy policy = RetryPolicy.defaults();
		assertThat(policy.maxAttempts()).isEqualTo(10);
		assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(4));
		assertThat(policy.backoff(9)).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void backoffNeverExceedsTheMaximumInterval() {
		RetryPolicy policy = new RetryPolicy(100, Duration.ofMillis(10), 3.0, Duration.ofMillis(500));
		assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(10));
		assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(30));
		assertThat(policy.backoff(4)).isEqualTo(Duration.ofMillis(270));
		assertThat(policy.backoff(5)).isEqualTo(Duration.ofMillis(500));
		assertThat(policy.backoff(99)).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void retriesWhileFewerThanMaxAttemptsFailed() {
		RetryPolicy policy = new RetryPolicy(3, Duration.ZERO, 1.0, Duration.ZERO);
		assertThat(policy.canRetry(1)).isTrue();
		assertThat(policy.canRetry(2)).isTrue();
		assertThat(policy.canRetry(3)).isFalse();
	}

	@Test
	void rejectsSettingsThatMakeNoSense() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 2, Duration.ZERO))
			.withMessageContaining("maxAttempts");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(-1), 2, Duration.ZERO))
			.withMessageContaining("negative");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(1, Duration.ZERO, 0.5, Duration.ZERO))
			.withMessageContaining("multiplier");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Double.NaN, Duration.ZERO))
			.withMessageContaining("multiplier");
	}

}
