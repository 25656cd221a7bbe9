package io.eventy.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts the application contexts connected to a JVM-wide server, so that the server
 * stops after them at JVM exit: shutdown hooks run concurrently, and a server stopped
 * while a context closes would leave its subscriptions waiting for connections until a
 * timeout.
 */
final class ServerUsers {

	private int users;

	/**
	 * Count one more context.
	 */
	synchronized void acquire() {
		this.users++;
	}

	/**
	 * Count one context less.
	 */
	synchronized void release() {
		this.users--;
		notifyAll();
	}

	/**
	 * Wait until no context uses the server, or a timeout passed.
	 * @param timeout how long to wait at most
	 */
	synchronized void awaitNone(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long remaining = timeout.toNanos();
		while (this.users > 0 && remaining > 0) {
			try {
				TimeUnit.NANOSECONDS.timedWait(this, remaining);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			remaining = deadline - System.nanoTime();
		}
	}

}
