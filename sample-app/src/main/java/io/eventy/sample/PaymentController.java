package io.eventy.sample;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventy.request.ErrorResponseException;
import io.eventy.request.RequestClient;
import io.eventy.request.RequestTimeoutException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pays an order: sends {@link ChargePayment} to the payment service with the
 * {@link RequestClient} and awaits its response within {@code sample.payment.timeout}. A
 * declined payment (an error response) is a 402 problem with the payment service's error
 * code and message; no response in time is a 504.
 */
@RestController
class PaymentController {

	private final RequestClient requests;

	private final Duration timeout;

	PaymentController(RequestClient requests, @Value("${sample.payment.timeout:5s}") Duration timeout) {
		this.requests = requests;
		this.timeout = timeout;
	}

	@PostMapping("/orders/{orderId}/pay")
	ResponseEntity<?> pay(@PathVariable @ValidOrderId String orderId, @RequestBody Pay request)
			throws InterruptedException {
		try {
			PaymentCharged charged = this.requests
				.send(new ChargePayment(orderId, request.amountCents()), PaymentCharged.class, this.timeout)
				// the client's own timeout completes the future first
				.get(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			return ResponseEntity.ok(charged);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ErrorResponseException declined) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PAYMENT_REQUIRED,
						String.valueOf(declined.errorMessage()));
				problem.setTitle("Payment declined");
				problem.setProperty("errorCode", declined.errorCode());
				return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED).body(problem);
			}
			if (ex.getCause() instanceof RequestTimeoutException) {
				return timedOut();
			}
			throw new IllegalStateException("Paying order " + orderId + " failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			return timedOut();
		}
	}

	private ResponseEntity<ProblemDetail> timedOut() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT,
				"The payment service did not answer within " + this.timeout);
		problem.setTitle("Payment service timeout");
		return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(problem);
	}

	/**
	 * The body of {@code POST /orders/{id}/pay}.
	 *
	 * @param amountCents what to charge, in cents
	 */
	record Pay(long amountCents) {

	}

}
