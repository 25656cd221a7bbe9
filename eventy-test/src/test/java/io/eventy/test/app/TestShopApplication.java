package io.eventy.test.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop the tests of eventy-test run: orders placed, invoices issued by a handler.
 */
@SpringBootApplication
public class TestShopApplication {

}
