package io.eventy.handler;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureDescriptionTests {

	@Test
	void namesTheExceptionClassAndMessage() {
		assertThat(FailureDescription.of(new IllegalStateException("negative amount")))
			.isEqualTo("java.lang.IllegalStateException: negative amount");
		assertThat(FailureDescription.of(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
	}

	@Test
	void addsTheCauseUnlessTheMessageAlreadyNamesIt() {
		IllegalArgumentException cause = new IllegalArgumentException("bad input");
		assertThat(FailureDescription.of(new IllegalStateException("handler failed", cause)))
			.isEqualTo("java.lang.IllegalStateException: handler failed "
					+ "(caused by java.lang.IllegalArgumentException: bad input)");
		assertThat(FailureDescription.of(new IllegalStateException(cause)))
			.isEqualTo("java.lang.IllegalStateException: java.lang.IllegalArgumentException: bad input");
	}

	@Test
	void keepsAtMostMaxLengthCharacters() {
		String description = FailureDescription.of(new IllegalStateException("x".repeat(10_000)));
		assertThat(description).hasSize(FailureDescription.MAX_LENGTH)
			.startsWith("java.lang.IllegalStateException: xxx");
	}

}
