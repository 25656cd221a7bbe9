package io.eventy.sample;

import java.util.ArrayList;
import java.util.List;

import io.eventy.record.InvalidRecordException;
import io.eventy.store.ConcurrencyException;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps Eventy's and the orders' exceptions, and Spring MVC's own, to RFC 9457 problem
 * details ({@code application/problem+json}). Every 400 that is about the request's
 * content lists what is wrong in {@code violations}, one {@code path: message} each, as
 * {@link InvalidRecordException} does; no message names a Java type or class.
 * <p>
 * Extending {@link ResponseEntityExceptionHandler} makes every Spring MVC exception (415
 * unsupported media type, 405 method not allowed, ...) a problem detail too, as
 * {@code spring.mvc.problemdetails.enabled} would (Spring Boot's handler of that property
 * backs off for this one).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail invalidRecord(InvalidRecordException ex) {
		ProblemDetail problem = badRequest("Invalid record", ex.getMessage());
		problem.setProperty("violations", ex.violations());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail orderNotFound(OrderNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Order not found", ex);
	}

	@ExceptionHandler
	ProblemDetail orderNotProjected(OrderNotProjectedException ex) {
		return problem(HttpStatus.NOT_FOUND, "Order summary not found", ex);
	}

	@ExceptionHandler
	ProblemDetail alreadyShipped(OrderAlreadyShippedException ex) {
		return problem(HttpStatus.CONFLICT, "Order already shipped", ex);
	}

	@ExceptionHandler
	ProblemDetail concurrentChange(ConcurrencyException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Concurrent change", ex);
		problem.setProperty("stream", ex.stream().toString());
		problem.setProperty("actualVersion", ex.actual());
		return problem;
	}

	/**
	 * A body over the limit that reached a handler some other way than through a message
	 * converter.
	 */
	@ExceptionHandler
	ProblemDetail bodyTooLarge(RequestBodyTooLargeException ex) {
		return tooLarge(ex);
	}

	/**
	 * A body that could not be read: over the limit (413), or not JSON of the expected
	 * shape (400, naming the field and what it must be).
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		RequestBodyTooLargeException tooLarge = causeOfType(ex, RequestBodyTooLargeException.class);
		if (tooLarge != null) {
			return handleExceptionInternal(ex, tooLarge(tooLarge), headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		String violation = JsonBodyErrors.describe(ex);
		ProblemDetail problem = (violation != null) ? invalid("Invalid request body", List.of(violation)) : badRequest(
				"Invalid request body",
				(ex.getCause() == null) ? "The request body is missing" : "The request body could not be read as JSON");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	/**
	 * A {@code @Valid @RequestBody} that breaks its constraints.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> violations = ex.getBindingResult()
			.getAllErrors()
			.stream()
			.map(ApiExceptionHandler::violation)
			.toList();
		return handleExceptionInternal(ex, invalid("Invalid request", violations), headers, HttpStatus.BAD_REQUEST,
				request);
	}

	/**
	 * A path variable, parameter or body that breaks the constraints declared on the
	 * handler method's parameters.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> violations = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			if (result instanceof ParameterErrors errors) {
				errors.getAllErrors().forEach((error) -> violations.add(violation(error)));
			}
			else {
				String name = result.getMethodParameter().getParameterName();
				result.getResolvableErrors()
					.forEach((error) -> violations.add(name + ": " + error.getDefaultMessage()));
			}
		}
		return handleExceptionInternal(ex, invalid("Invalid request", violations), headers, HttpStatus.BAD_REQUEST,
				request);
	}

	private static String violation(MessageSourceResolvable error) {
		String message = error.getDefaultMessage();
		return (error instanceof FieldError field) ? field.getField() + ": " + message : String.valueOf(message);
	}

	private static ProblemDetail invalid(String title, List<String> violations) {
		ProblemDetail problem = badRequest(title, String.join("; ", violations));
		problem.setProperty("violations", violations);
		return problem;
	}

	private static ProblemDetail badRequest(String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle(title);
		return problem;
	}

	private static ProblemDetail tooLarge(RequestBodyTooLargeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"The request body must not be larger than " + ex.maxBytes() + " bytes");
		problem.setTitle("Request body too large");
		problem.setProperty("maxBodySize", ex.maxBytes());
		return problem;
	}

	private static ProblemDetail problem(HttpStatus status, String title, Exception ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle(title);
		return problem;
	}

	private static <T extends Throwable> @Nullable T causeOfType(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
