package io.eventy.handler;

/**
 * The observer used when nothing observes the subscriptions.
 */
final class NoopHandlerObserver implements HandlerObserver {

	static final NoopHandlerObserver INSTANCE = new NoopHandlerObserver();

	private NoopHandlerObserver() {
	}

}
