package io.eventy.test.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventy.handler.EventHandler;

import org.springframework.stereotype.Component;

/**
 * A handler a test can hold up: while the gate is closed, its subscription cannot finish
 * a record.
 */
@Component
public class Gate {

	private volatile CountDownLatch open = new CountDownLatch(0);

	@EventHandler(subscription = "gate")
	void onScanned(ParcelScanned parcel) throws InterruptedException {
		this.open.await(30, TimeUnit.SECONDS);
	}

	/**
	 * Hold up the handler until {@link #open()}.
	 */
	public void close() {
		this.open = new CountDownLatch(1);
	}

	/**
	 * Let the handler go on.
	 */
	public void open() {
		this.open.countDown();
	}

}
