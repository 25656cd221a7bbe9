package io.eventy.autoconfigure.logging;

import io.eventy.context.EventyContextHolder;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Sets the MDC keys of {@link EventyContextHolder} while the application runs, and puts
 * the defaults back when it stops.
 */
final class EventyMdcKeys implements InitializingBean, DisposableBean {

	private final String traceIdKey;

	private final String requestIdKey;

	EventyMdcKeys(String traceIdKey, String requestIdKey) {
		this.traceIdKey = traceIdKey;
		this.requestIdKey = requestIdKey;
	}

	@Override
	public void afterPropertiesSet() {
		EventyContextHolder.setMdcKeys(this.traceIdKey, this.requestIdKey);
	}

	@Override
	public void destroy() {
		EventyContextHolder.setMdcKeys(EventyContextHolder.DEFAULT_TRACE_ID_KEY,
				EventyContextHolder.DEFAULT_REQUEST_ID_KEY);
	}

	String traceIdKey() {
		return this.traceIdKey;
	}

	String requestIdKey() {
		return this.requestIdKey;
	}

}
