package io.eventy.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service. Without {@code spring.datasource.url} it starts an embedded
 * PostgreSQL of its own, so it runs with no external service.
 */
@SpringBootApplication
public class SampleApplication {

	/**
	 * Start the order service.
	 * @param args the command line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
