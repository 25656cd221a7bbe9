package io.eventy.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Shuts the {@link KafkaTestBroker} down once the tests of the JVM have run, before the
 * JVM's shutdown hooks start (registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}).
 */
public final class KafkaTestBrokerSessionListener implements LauncherSessionListener {

	/**
	 * Create the listener; JUnit does.
	 */
	public KafkaTestBrokerSessionListener() {
	}

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		KafkaTestBroker.shutDown();
	}

}
