package io.eventy.readme.payment;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import io.eventy.request.ErrorResponseException;
import io.eventy.request.RequestClient;
import io.eventy.request.RequestTimeoutException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example of the README's "RequestClient" section: a request type, its response type
 * and a request sent and awaited.
 */
class PaymentRequests {

	private static final Logger logger = LoggerFactory.getLogger(PaymentRequests.class);

	@RecordType(namespace = "urn:payment", kind = RecordKind.REQUEST)
	record ChargePayment(@NotBlank String orderId, @Positive long amountCents) {
	}

	@RecordType(namespace = "urn:payment", kind = RecordKind.RESPONSE)
	record PaymentCharged(String orderId, String chargeId) {
	}

	void pay(RequestClient requests) throws InterruptedException, TimeoutException {
		try {
			PaymentCharged charged = requests.send(new ChargePayment("42", 1200), PaymentCharged.class)
				.get(5, TimeUnit.SECONDS);
			logger.info("Charged: {}", charged);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ErrorResponseException error) {
				// error.errorCode() == 402, error.errorMessage() == "Card declined"
				logger.info("Declined: {} {}", error.errorCode(), error.errorMessage());
			}
			else if (ex.getCause() instanceof RequestTimeoutException timeout) {
				// no response within eventy.requests.timeout (30 s)
				logger.info("No response to {}", timeout.requestUuid());
			}
		}
	}

}
