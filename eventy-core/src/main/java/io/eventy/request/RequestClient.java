package io.eventy.request;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.eventy.service.UnknownServiceException;

/**
 * Sends a REQUEST to the service that owns its namespace and returns a future of its
 * RESPONSE: what Python eventy leaves to each application, awaitable.
 *
 * <pre class="code">
 * PaymentCharged charged = requests.send(new ChargePayment("42", 1200), PaymentCharged.class)
 *     .get(5, TimeUnit.SECONDS);
 * </pre>
 *
 * The request is stored like any record (it carries the current trace id, request id,
 * causation id and context entries) and correlated with its response by
 * {@code request_uuid}. The future completes
 * <ul>
 * <li>with the response's data as the response type when the response is {@code ok};</li>
 * <li>exceptionally with an {@link ErrorResponseException} (its {@code error_code} and
 * {@code error_message}) when it is not;</li>
 * <li>exceptionally with a {@link RequestTimeoutException} when no response came within
 * the timeout.</li>
 * </ul>
 * Dependent stages run with the response's ids current.
 */
public interface RequestClient {

	/**
	 * Send a request and await its response within the default timeout
	 * ({@code eventy.requests.timeout}).
	 * @param <R> the response type
	 * @param request the request payload, of a {@code @RecordType(kind = REQUEST)} type
	 * @param responseType the type to read the response's data as
	 * @return the future response
	 * @throws IllegalArgumentException if the payload is not a request
	 * @throws io.eventy.record.InvalidRecordException if the payload is invalid
	 * @throws UnknownServiceException if no service owns the request's namespace
	 * @throws TooManyPendingRequestsException if as many requests as allowed await their
	 * responses
	 */
	<R> CompletableFuture<R> send(Object request, Class<R> responseType);

	/**
	 * Send a request and await its response within a timeout.
	 * @param <R> the response type
	 * @param request the request payload, of a {@code @RecordType(kind = REQUEST)} type
	 * @param responseType the type to read the response's data as
	 * @param timeout how long to wait for the response
	 * @return the future response
	 * @throws IllegalArgumentException if the payload is not a request or the timeout not
	 * positive
	 * @throws io.eventy.record.InvalidRecordException if the payload is invalid
	 * @throws UnknownServiceException if no service owns the request's namespace
	 * @throws TooManyPendingRequestsException if as many requests as allowed await their
	 * responses
	 */
	<R> CompletableFuture<R> send(Object request, Class<R> responseType, Duration timeout);

}
