package io.eventy.handler;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a {@link HandlerOnlyApplication} must do on either store: keep handling records
 * after its {@code main} returned, and stop cleanly on {@code SIGTERM}.
 */
public final class HandlerOnlyApplicationAssertions {

	/** A JVM, a Spring context and a store's clients on two busy cores. */
	private static final Duration START = Duration.ofSeconds(90);

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private HandlerOnlyApplicationAssertions() {
	}

	/**
	 * Check a started application that has three records {@code backlog-1} to
	 * {@code backlog-3} to handle.
	 * @param application the application's JVM
	 * @param append appends a record for an order id
	 * @throws InterruptedException if interrupted
	 */
	public static void runsAfterMainReturnedAndStopsCleanlyOnSigterm(ChildJvm application, Consumer<String> append)
			throws InterruptedException {
		await().atMost(START)
			.until(() -> (application.printed(HandlerOnlyApplication.MAIN_RETURNED)
					&& application.printed("handled backlog-3")) || !application.isAlive());
		assertThat(application.output()).contains(HandlerOnlyApplication.MAIN_RETURNED, "handled backlog-1",
				"handled backlog-2", "handled backlog-3");

		// a JVM that ended when main returned never handles what comes after
		append.accept("after-main");
		await().atMost(DEADLINE).until(() -> application.printed("handled after-main") || !application.isAlive());
		assertThat(application.output()).contains("handled after-main");
		assertThat(application.isAlive()).isTrue();
		assertThat(application.output()).noneMatch((line) -> line.contains("Stopped"));

		application.terminate();
		assertThat(application.waitFor(DEADLINE)).as("exited within %s of SIGTERM", DEADLINE).isTrue();
		// SIGTERM makes the JVM exit with status 128 + 15 = 143 after an orderly
		// shutdown: it runs the shutdown hooks (Spring's closes the context, which
		// stops the subscriptions), then halts. 0 would be a JVM that ended by
		// itself, 137 (SIGKILL) one that had to be killed.
		assertThat(application.exitValue()).isEqualTo(143);
		List<String> output = application.output();
		assertThat(output).anyMatch((line) -> line.contains("Stopped 1 subscription(s)"));
		assertThat(output).as("a clean stop")
			.noneMatch((line) -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception")
					|| line.startsWith("\tat "));
	}

}
