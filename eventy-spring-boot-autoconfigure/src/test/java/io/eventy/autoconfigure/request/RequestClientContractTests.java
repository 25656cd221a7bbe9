package io.eventy.autoconfigure.request;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.EventHandler;
import io.eventy.handler.EventyErrorResponseException;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import io.eventy.request.DefaultRequestClient;
import io.eventy.request.ErrorResponseException;
import io.eventy.request.RequestClient;
import io.eventy.request.RequestTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the {@link RequestClient} promises on every store, with two application contexts
 * as two services, an order service that sends {@code urn:pay:ChargePayment} requests and
 * a payment service that answers them, each with Eventy's whole auto-configuration.
 */
abstract class RequestClientContractTests {

	static final Duration DEADLINE = Duration.ofSeconds(60);

	static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	/** Released by a test to let the payment handler answer a "slow" request. */
	static volatile CountDownLatch slowAnswer = new CountDownLatch(0);

	/**
	 * Return the payment service.
	 * @return a runner whose service owns {@code urn:pay} and answers with
	 * {@link Payments}
	 */
	abstract ApplicationContextRunner payment();

	/**
	 * Return an instance of the order service, which declares the payment service.
	 * @return a runner of the order service
	 */
	abstract ApplicationContextRunner orders();

	/**
	 * Return the name of the payment service.
	 * @return the service name
	 */
	abstract String paymentName();

	@AfterEach
	void releaseSlowAnswers() {
		slowAnswer.countDown();
	}

	@Test
	void aRequestRoundTripsToTheOtherServiceAndItsResponseCompletesTheFuture() {
		both((payment, orders) -> {
			PaymentCharged charged = orders.getBean(RequestClient.class)
				.send(new ChargePayment("42", "visa", 1200), PaymentCharged.class)
				.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
			assertThat(charged).isEqualTo(new PaymentCharged("42", 1200));
		});
	}

	@Test
	void anErrorResponseCompletesTheFutureWithItsErrorCodeAndMessage() {
		both((payment, orders) -> {
			CompletableFuture<PaymentCharged> future = orders.getBean(RequestClient.class)
				.send(new ChargePayment("43", "declined", 1200), PaymentCharged.class);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(ErrorResponseException.class, (error) -> {
					assertThat(error.errorCode()).isEqualTo(402);
					assertThat(error.errorMessage()).isEqualTo("Card declined");
					assertThat(error.response().source()).isEqualTo("urn:" + paymentName());
				});
		});
	}

	@Test
	void aRequestWithoutAResponseWithinItsTimeoutFailsAndItsLateResponseIsCounted() {
		slowAnswer = new CountDownLatch(1);
		both((payment, orders) -> {
			DefaultRequestClient client = orders.getBean(DefaultRequestClient.class);
			CompletableFuture<PaymentCharged> future = client.send(new ChargePayment("44", "slow", 1200),
					PaymentCharged.class, Duration.ofMillis(500));
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
				.withCauseInstanceOf(RequestTimeoutException.class);
			assertThat(client.pendingRequests()).isZero();
			slowAnswer.countDown();
			await().atMost(DEADLINE).until(() -> client.lateResponses() == 1);
		});
	}

	@Test
	void idsAndContextEntriesFlowThroughTheRequestToTheHandlerAndBackWithTheResponse() {
		both((payment, orders) -> {
			CompletableFuture<PaymentCharged> future;
			try (EventyContextHolder.Scope ids = EventyContextHolder.open(EventyContext.of(TRACE_ID, "request-7"));
					EventyContextHolder.Scope tenant = EventyContextHolder.openWithEntry("tenant",
							Map.of("id", "acme"))) {
				future = orders.getBean(RequestClient.class)
					.send(new ChargePayment("45", "visa", 1200), PaymentCharged.class);
			}
			CompletableFuture<String> traceIdOfTheNextStage = future.thenApply((charged) -> MDC.get("traceId"));
			assertThat(traceIdOfTheNextStage.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TRACE_ID);
			Payments payments = payment.getBean(Payments.class);
			assertThat(payments.seen).singleElement().satisfies((seen) -> {
				assertThat(seen.traceId()).isEqualTo(TRACE_ID);
				assertThat(seen.requestId()).isEqualTo("request-7");
				assertThat(seen.tenant()).isEqualTo(Map.of("id", "acme"));
				assertThat(seen.request().source()).isEqualTo("urn:" + ordersName(orders));
			});
		});
	}

	@Test
	void twoInstancesOfTheRequestingServiceEachGetTheResponsesToTheirOwnRequests() {
		payment().run((payment) -> {
			assertThat(payment).hasNotFailed();
			orders().run((first) -> orders().run((second) -> {
				assertThat(first).hasNotFailed();
				assertThat(second).hasNotFailed();
				CompletableFuture<PaymentCharged> fromFirst = first.getBean(RequestClient.class)
					.send(new ChargePayment("1", "visa", 100), PaymentCharged.class);
				CompletableFuture<PaymentCharged> fromSecond = second.getBean(RequestClient.class)
					.send(new ChargePayment("2", "visa", 200), PaymentCharged.class);
				assertThat(fromFirst.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
					.isEqualTo(new PaymentCharged("1", 100));
				assertThat(fromSecond.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
					.isEqualTo(new PaymentCharged("2", 200));
				assertThat(first.getBean(DefaultRequestClient.class).lateResponses()).isZero();
				assertThat(second.getBean(DefaultRequestClient.class).lateResponses()).isZero();
			}));
		});
	}

	private static String ordersName(AssertableApplicationContext orders) {
		return orders.getEnvironment().getProperty("spring.application.name");
	}

	/**
	 * Run the payment service, then an instance of the order service, and a test with
	 * both.
	 */
	void both(Both test) {
		payment().run((payment) -> {
			assertThat(payment).hasNotFailed();
			orders().run((orders) -> {
				assertThat(orders).hasNotFailed();
				test.accept(payment, orders);
			});
		});
	}

	@FunctionalInterface
	interface Both {

		void accept(AssertableApplicationContext payment, AssertableApplicationContext orders) throws Exception;

	}

	@RecordType(namespace = "urn:pay", kind = RecordKind.REQUEST)
	record ChargePayment(String orderId, String card, long amountCents) {
	}

	@RecordType(namespace = "urn:pay", kind = RecordKind.RESPONSE)
	record PaymentCharged(String orderId, long amountCents) {
	}

	record Seen(EventyRecord request, String traceId, String requestId, Map<?, ?> tenant) {
	}

	static class Payments {

		final List<Seen> seen = new CopyOnWriteArrayList<>();

		@EventHandler
		PaymentCharged charge(ChargePayment request, EventyRecord record) throws InterruptedException {
			if (request.card().equals("declined")) {
				throw new EventyErrorResponseException(402, "Card declined");
			}
			if (request.card().equals("slow")) {
				slowAnswer.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
			}
			this.seen.add(new Seen(record, MDC.get("traceId"), MDC.get("requestId"),
					EventyContextHolder.entry("tenant", Map.class).orElse(Map.of())));
			return new PaymentCharged(request.orderId(), request.amountCents());
		}

	}

}
