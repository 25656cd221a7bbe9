package io.eventy.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} to SLF4J before any test runs (registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}), so that
 * {@code logback-test.xml} sets the levels of libraries that log through it, such as
 * Liquibase, which otherwise writes every step of every changelog run at INFO to the
 * console.
 */
public final class JulToSlf4jSessionListener implements LauncherSessionListener {

	/**
	 * Create the listener; JUnit does.
	 */
	public JulToSlf4jSessionListener() {
	}

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		if (!SLF4JBridgeHandler.isInstalled()) {
			SLF4JBridgeHandler.removeHandlersForRootLogger();
			SLF4JBridgeHandler.install();
		}
	}

}
