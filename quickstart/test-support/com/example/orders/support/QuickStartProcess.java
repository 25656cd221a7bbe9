package com.example.orders.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Quick start application in a JVM of its own, started as a user starts it: its main
 * class on its runtime classpath only (no test libraries, no web server), with the
 * connection settings of the test's servers as command-line arguments.
 */
public final class QuickStartProcess implements AutoCloseable {

	/** A line Spring Boot's console logs at ERROR. */
	private static final Pattern ERROR_LINE = Pattern.compile("^\\S+\\s+ERROR \\d+ --- ");

	/** A line Spring Boot's console logs at WARN for one of Eventy's loggers. */
	private static final Pattern EVENTY_WARN_LINE = Pattern.compile("^\\S+\\s+WARN \\d+ --- .* i\\.eventy\\.");

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private QuickStartProcess(Process process) {
		this.process = process;
		this.reader = new Thread(this::readOutput, "quick-start-output");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Start the application.
	 * @param mainClass the application's main class
	 * @param args its command-line arguments
	 * @return the running process
	 * @throws IOException if the JVM cannot be started
	 */
	public static QuickStartProcess start(Class<?> mainClass, String... args) throws IOException {
		String classpath = Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator
				+ Files.readString(Path.of("target/runtime-classpath.txt")).strip();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-cp", classpath, mainClass.getName()));
		command.addAll(List.of(args));
		return new QuickStartProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
	}

	/**
	 * The Quick start's promise: the application starts, handles the record it appended,
	 * keeps running once its main thread has ended, and stops on SIGTERM within a few
	 * seconds without an error.
	 * @param mainClass the application's main class
	 * @param args its command-line arguments (the test servers' connection settings)
	 * @return the application's output
	 * @throws Exception if the JVM cannot be started or waited for
	 */
	public static List<String> runStartsHandlesKeepsRunningAndStopsOnSigterm(Class<?> mainClass, String... args)
			throws Exception {
		try (QuickStartProcess app = start(mainClass, args)) {
			app.awaitLine("Started " + mainClass.getSimpleName());
			app.awaitLine("Billing order 42: 1200 cents");
			app.awaitMainThreadEndedWhileRunning();
			// a JVM ended by SIGTERM reports 128 + 15 once its shutdown hooks, Spring's
			// among them, have run
			assertThat(app.terminate(Duration.ofSeconds(20))).isEqualTo(143);
			// no error and no stack trace; the Kafka clients may mention a retriable
			// exception at INFO while the broker they just reached finishes starting
			assertThat(app.output()).anyMatch((line) -> line.contains("Stopped 1 subscription(s)"))
				.noneMatch((line) -> ERROR_LINE.matcher(line).find())
				.noneMatch((line) -> EVENTY_WARN_LINE.matcher(line).find())
				.noneMatch((line) -> line.startsWith("\tat ") || line.startsWith("Caused by: "));
			return app.output();
		}
	}

	/**
	 * Wait until a line of the output contains a text.
	 * @param text the text
	 */
	public void awaitLine(String text) {
		await().atMost(STARTUP)
			.failFast("the application exited: " + this.output, () -> !this.process.isAlive())
			.until(() -> this.output.stream().anyMatch((line) -> line.contains(text)));
	}

	/**
	 * Wait until the application's main thread has ended, by the JVM's own thread dump,
	 * and check that the JVM keeps running without it.
	 */
	public void awaitMainThreadEndedWhileRunning() {
		await().atMost(STARTUP).until(() -> !threadDump().contains("\"main\""));
		assertThat(this.process.isAlive()).as("the JVM runs on after its main thread ended").isTrue();
	}

	/**
	 * Send SIGTERM, as a container runtime or Ctrl-C does, and wait for the JVM to exit.
	 * @param deadline the longest wait
	 * @return the exit status
	 * @throws InterruptedException if interrupted while waiting
	 */
	public int terminate(Duration deadline) throws InterruptedException {
		// through the process handle: Process.destroy() also closes our end of the
		// output pipe, and the lines of the shutdown would be lost
		this.process.toHandle().destroy();
		assertThat(this.process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS))
			.as("exited within %s of SIGTERM; output: %s", deadline, this.output)
			.isTrue();
		this.reader.join(deadline.toMillis());
		return this.process.exitValue();
	}

	/**
	 * Return the lines the application wrote so far.
	 * @return its standard output and error
	 */
	public List<String> output() {
		return List.copyOf(this.output);
	}

	private String threadDump() throws IOException, InterruptedException {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(this.process.pid()), "Thread.print")
			.redirectErrorStream(true)
			.start();
		String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		dump.waitFor(30, TimeUnit.SECONDS);
		assertThat(text).as("a thread dump of the application").contains("Full thread dump");
		return text;
	}

	private void readOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.add(line);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
	}

}
