package io.eventy.autoconfigure.web.ingest;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AllowedNamesTests {

	@Test
	void allowsExactNamesOnly() {
		AllowedNames names = new AllowedNames(List.of("urn:shop:Clicked"));
		assertThat(names.allows("urn:shop:Clicked")).isTrue();
		assertThat(names.allows("urn:shop:ClickedTwice")).isFalse();
		assertThat(names.allows("urn:shopping:Clicked")).isFalse();
	}

	@Test
	void allowsWhatAPatternMatches() {
		AllowedNames names = new AllowedNames(List.of("urn:shop:*", "urn:ads:Banner*Seen"));
		assertThat(names.allows("urn:shop:Clicked")).isTrue();
		assertThat(names.allows("urn:ads:BannerSeen")).isTrue();
		assertThat(names.allows("urn:ads:BannerTopSeen")).isTrue();
		assertThat(names.allows("urn:ads:BannerClicked")).isFalse();
		assertThat(names.allows("urn:shopping:Clicked")).isFalse();
	}

	@Test
	void takesEveryOtherCharacterLiterally() {
		AllowedNames names = new AllowedNames(List.of("urn:a.b:C(x)"));
		assertThat(names.allows("urn:a.b:C(x)")).isTrue();
		assertThat(names.allows("urn:aXb:C(x)")).isFalse();
		assertThat(names.allows("urn:a.b:Cx")).isFalse();
	}

}
