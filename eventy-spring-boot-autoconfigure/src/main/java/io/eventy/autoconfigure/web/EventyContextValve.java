package io.eventy.autoconfigure.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Tomcat valve around each request of the application's context, outside its filters: it
 * offers a {@link FailedRequestScope} to {@link FailedRequestContextFilter} and closes it
 * after Tomcat has logged an uncaught exception, so that no id of the request stays on
 * the pooled thread.
 */
final class EventyContextValve extends ValveBase {

	EventyContextValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		try (FailedRequestScope failed = new FailedRequestScope()) {
			request.setAttribute(FailedRequestScope.ATTRIBUTE, failed);
			try {
				getNext().invoke(request, response);
			}
			finally {
				request.removeAttribute(FailedRequestScope.ATTRIBUTE);
			}
		}
	}

}
