package io.eventy.store.postgres;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes a waiting subscription worker: a signal sent while it works is kept, so no
 * notification is lost between a read and the next wait.
 */
final class WakeSignal {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private boolean signalled;

	private boolean stopped;

	/**
	 * Wake the worker, now or at its next wait.
	 */
	void signal() {
		this.lock.lock();
		try {
			this.signalled = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * End every wait, now and later.
	 */
	void stop() {
		this.lock.lock();
		try {
			this.stopped = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean isStopped() {
		this.lock.lock();
		try {
			return this.stopped;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until signalled, stopped, or the timeout has passed; consumes the signal.
	 * @param timeout the longest wait
	 * @throws InterruptedException if the thread is interrupted
	 */
	void await(Duration timeout) throws InterruptedException {
		this.lock.lock();
		try {
			long nanos = timeout.toNanos();
			while (!this.signalled && !this.stopped && nanos > 0) {
				nanos = this.changed.awaitNanos(nanos);
			}
			this.signalled = false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until the timeout has passed or until stopped, whatever the signals; a signal
	 * stays for the next {@link #await(Duration)}.
	 * @param timeout the wait
	 * @throws InterruptedException if the thread is interrupted
	 */
	void sleep(Duration timeout) throws InterruptedException {
		this.lock.lock();
		try {
			long deadline = System.nanoTime() + timeout.toNanos();
			long nanos = timeout.toNanos();
			while (!this.stopped && nanos > 0) {
				this.changed.await(nanos, TimeUnit.NANOSECONDS);
				nanos = deadline - System.nanoTime();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
