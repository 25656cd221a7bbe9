package io.eventy.handler;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the JVM running while a store's subscriptions run, so that an application whose
 * only work is handling records does not exit when its {@code main} method returns: one
 * non-daemon thread, started with the subscriptions and ended when they stop.
 * <p>
 * The subscriptions' own threads are daemon threads. The JVM's lifetime then follows the
 * subscriptions' lifecycle, not the handlers: a handler that ignores the stop signal and
 * interruption past the store's stop timeout is abandoned, and never keeps the JVM from
 * exiting once the subscriptions were stopped (on {@code SIGTERM} Spring's shutdown hook
 * stops them, whatever the threads are).
 */
public final class SubscriptionKeepAlive {

	private final String threadName;

	private @Nullable Thread thread;

	/**
	 * Create a keep-alive, not started.
	 * @param threadName the name of its thread
	 */
	public SubscriptionKeepAlive(String threadName) {
		this.threadName = Objects.requireNonNull(threadName, "threadName");
	}

	/**
	 * Start the non-daemon thread, unless it runs.
	 */
	public synchronized void start() {
		if (this.thread != null) {
			return;
		}
		Thread thread = new Thread(SubscriptionKeepAlive::waitUntilInterrupted, this.threadName);
		thread.setDaemon(false);
		thread.start();
		this.thread = thread;
	}

	/**
	 * End the thread, if it runs; the JVM may exit from then on.
	 */
	public synchronized void stop() {
		Thread thread = this.thread;
		this.thread = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	/**
	 * Return whether the thread was started and not stopped.
	 * @return whether the JVM is kept alive
	 */
	public synchronized boolean isRunning() {
		return this.thread != null;
	}

	private static void waitUntilInterrupted() {
		while (true) {
			try {
				Thread.sleep(Long.MAX_VALUE);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

}
