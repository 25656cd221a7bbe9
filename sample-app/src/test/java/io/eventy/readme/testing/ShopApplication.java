package io.eventy.readme.testing;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application with no database configured: {@code @EventyTest} supplies one.
 */
@SpringBootApplication
class ShopApplication {

}
