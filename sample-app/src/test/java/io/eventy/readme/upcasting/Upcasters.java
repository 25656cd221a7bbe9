package io.eventy.readme.upcasting;

import io.eventy.record.RecordUpcaster;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The README's upcasters: records stored at 1.x read as {@link PriceSet} 2.x, and those
 * stored under the type's former name {@code urn:shop:PriceChanged} too.
 */
@Configuration(proxyBeanMethods = false)
class Upcasters {

	@Bean
	RecordUpcaster priceSetInEuros() {
		return RecordUpcaster.of("urn:shop:PriceSet", 1, "2.0.0", (data) -> data.put("currency", "EUR"));
	}

	@Bean
	RecordUpcaster priceChangedIsNowPriceSet() {
		return RecordUpcaster.of("urn:shop:PriceChanged", 1, "urn:shop:PriceSet", "2.0.0",
				(data) -> data.put("currency", "EUR"));
	}

}
