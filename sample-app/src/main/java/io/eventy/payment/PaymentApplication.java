package io.eventy.payment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payment service: owns the namespace {@code urn:payment} and answers
 * {@link ChargePayment} requests ({@link Payments}). The order service runs it in its own
 * JVM by default; run it on its own with {@code --spring.config.name=payment-service} and
 * the order service's database or Kafka broker.
 */
@SpringBootApplication
public class PaymentApplication {

	public static void main(String[] args) {
		SpringApplication.run(PaymentApplication.class, args);
	}

}
