package io.eventy.context;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TraceparentTests {

	private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	@Test
	void parsesAVersion00Value() {
		Traceparent traceparent = Traceparent.parse(VALID);
		assertThat(traceparent)
			.isEqualTo(new Traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true));
		assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").sampled()).isFalse();
	}

	@Test
	void writesTheHeaderValueBack() {
		assertThat(Traceparent.parse(VALID)).hasToString(VALID);
	}

	@Test
	void parsesALaterVersionByItsFirstFields() {
		assertThat(Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"))
			.hasToString(VALID);
	}

	@Test
	void returnsNullForMalformedValues() {
		assertThat(Traceparent.parse(null)).isNull();
		assertThat(Traceparent.parse("")).isNull();
		assertThat(Traceparent.parse("garbage")).isNull();
		assertThat(Traceparent.parse(VALID + "-extra")).isNull();
		assertThat(Traceparent.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
		assertThat(Traceparent.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isNull();
		assertThat(Traceparent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
		assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isNull();
		assertThat(Traceparent.parse("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
		assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g")).isNull();
		assertThat(Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x")).isNull();
	}

	@Test
	void rejectsMalformedIdsWhenBuilt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Traceparent("abc", "00f067aa0ba902b7", true));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "0000000000000000", true));
	}

}
