package io.eventy.sample;

import io.eventy.record.InvalidRecordException;
import io.eventy.record.UnknownRecordTypeException;
import io.eventy.store.ConcurrencyException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps Eventy's and the orders' exceptions to RFC 9457 problem details.
 */
@RestControllerAdvice
class ApiExceptionHandler {

	@ExceptionHandler
	ProblemDetail invalidRecord(InvalidRecordException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid record", ex);
		problem.setProperty("violations", ex.violations());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail unknownRecordType(UnknownRecordTypeException ex) {
		return problem(HttpStatus.NOT_FOUND, "Unknown record type", ex);
	}

	@ExceptionHandler
	ProblemDetail orderNotFound(OrderNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Order not found", ex);
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

	private static ProblemDetail problem(HttpStatus status, String title, Exception ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle(title);
		return problem;
	}

}
