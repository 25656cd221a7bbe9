package io.eventy.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The sample's HTTP settings ({@code sample.http.*}).
 *
 * @param maxBodySize Largest request body accepted; a larger one is answered with 413
 * Content Too Large before it is read
 */
@ConfigurationProperties("sample.http")
record SampleHttpProperties(@DefaultValue("1MB") DataSize maxBodySize) {

	SampleHttpProperties {
		if (maxBodySize.toBytes() <= 0) {
			throw new IllegalArgumentException("sample.http.max-body-size must be positive, was " + maxBodySize);
		}
	}

}
