package io.eventy.autoconfigure.web;

import java.io.IOException;

import io.eventy.context.EventyContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The outermost filter: when an uncaught exception leaves the filter chain, it makes the
 * request's context (the one {@link EventyRequestContextFilter} chose) current again, so
 * that the line the servlet container logs about the exception carries the request's ids.
 * {@link EventyContextValve} restores what was there before once the container is done.
 */
final class FailedRequestContextFilter implements Filter {

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			if (request.getAttribute(FailedRequestScope.ATTRIBUTE) instanceof FailedRequestScope failed && request
				.getAttribute(EventyRequestContextFilter.CONTEXT_ATTRIBUTE) instanceof EventyContext context) {
				failed.open(context);
			}
			throw ex;
		}
	}

}
