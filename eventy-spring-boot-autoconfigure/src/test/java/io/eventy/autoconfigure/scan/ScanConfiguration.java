package io.eventy.autoconfigure.scan;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/**
 * An application configuration whose package is scanned for record types, as
 * {@code @SpringBootApplication} makes its own package.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class ScanConfiguration {

}
