package io.eventy.sample;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * On {@code SIGTERM} the sample stops its subscriptions first and its embedded server
 * (PostgreSQL, or the Kafka broker in Kafka mode) last, within seconds and with no error
 * or stack trace. Only a JVM of its own can receive the signal: each test starts the
 * sample as a user does (its main classes and dependencies, without the test classes and
 * their logging configuration, demo on), waits until the demo placed, shipped and
 * projected an order, sends {@code SIGTERM} ({@link Process#destroy()}) and reads what it
 * logged from then on.
 */
class SampleShutdownTests {

	private static final Duration READY_DEADLINE = Duration.ofMinutes(2);

	/**
	 * A stop takes about a second; the failure guarded against took 30 s (a subscription
	 * waiting for a connection to a server already gone).
	 */
	private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);

	/**
	 * What a JVM ended by {@code SIGTERM} exits with, 128 + 15, once its shutdown hooks
	 * ran: stopping on the signal is not a failure of the application.
	 */
	private static final int SIGTERM_EXIT_STATUS = 143;

	private static final String READY = "Demo: done; the service keeps running";

	private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s");

	private static final Pattern STACK_TRACE = Pattern.compile("^\\s+at \\S+\\(|^Caused by: |Exception\\b");

	/**
	 * Kafka's own, logged by the broker's controller while it stops, whatever the order
	 * ({@code NodeToControllerChannelManager} closes its client twice): no sign of a
	 * broker stopped too early.
	 */
	private static final String KAFKA_CONTROLLER_DOUBLE_CLOSE = "[NodeToControllerChannelManager id=0 name=registration] "
			+ "Attempting to close NetworkClient that has already been closed.";

	@Test
	void stopsTheSubscriptionsThenTheEmbeddedPostgresqlWithinSecondsAndWithoutAnErrorOnSigterm(@TempDir Path dir)
			throws Exception {
		try (Sample sample = Sample.start(dir.resolve("postgres.log"))) {
			String startup = sample.awaitOutput(READY);
			Matcher port = Pattern.compile("Started an embedded PostgreSQL on port (\\d+)").matcher(startup);
			assertThat(port.find()).as("the embedded PostgreSQL's port in:%n%s", startup).isTrue();

			String shutdown = sample.sigterm();

			assertThat(shutdown).contains("Stopped 3 subscription(s)").contains("shut down postmaster");
			assertThat(shutdown.indexOf("shut down postmaster"))
				.as("the embedded PostgreSQL stops after the subscriptions:%n%s", shutdown)
				.isGreaterThan(shutdown.indexOf("Stopped 3 subscription(s)"));
			assertThat(shutdown.lines()).as("no error, warning nor stack trace")
				.noneMatch((line) -> WARN_OR_ERROR.matcher(line).find() || STACK_TRACE.matcher(line).find())
				.as("no error of the PostgreSQL server")
				.noneMatch((line) -> line.contains("ERROR:") || line.contains("FATAL:") || line.contains("PANIC:"));
			// its own JVM shutdown hook is off: the application's stop must have stopped
			// it
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> connect(Integer.parseInt(port.group(1))));
		}
	}

	@Test
	void stopsTheSubscriptionsThenTheEmbeddedKafkaBrokerWithinSecondsAndWithoutAnErrorOnSigterm(@TempDir Path dir)
			throws Exception {
		try (Sample sample = Sample.start(dir.resolve("kafka.log"), "--spring.profiles.active=kafka")) {
			sample.awaitOutput(READY);

			String shutdown = sample.sigterm();

			assertThat(shutdown).contains("Stopped 1 subscription(s)");
			assertThat(shutdown.lines()).as("no error nor stack trace")
				.noneMatch((line) -> STACK_TRACE.matcher(line).find())
				.filteredOn((line) -> WARN_OR_ERROR.matcher(line).find())
				.as("no error nor warning but Kafka's own while the broker stops")
				.allMatch((line) -> line.contains(KAFKA_CONTROLLER_DOUBLE_CLOSE));
		}
	}

	private static void connect(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("localhost", port), 1000);
		}
	}

	/**
	 * The sample application in a JVM of its own, its output in a file.
	 */
	private static final class Sample implements AutoCloseable {

		private final Process process;

		private final Path output;

		private Sample(Process process, Path output) {
			this.process = process;
			this.output = output;
		}

		static Sample start(Path output, String... arguments) throws IOException {
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			// the C1 compiler only: the application starts faster
			command.add("-XX:TieredStopAtLevel=1");
			command.add("-cp");
			command.add(mainClassPath());
			command.add(SampleApplication.class.getName());
			command.add("--server.port=0");
			command.addAll(Arrays.asList(arguments));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			return new Sample(process, output);
		}

		/**
		 * Return this test's class path without the test classes: the sample runs as its
		 * users run it, with its own logging configuration rather than the tests'.
		 */
		private static String mainClassPath() {
			String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
			List<String> main = Arrays.stream(entries)
				.filter((entry) -> !Path.of(entry).endsWith(Path.of("target", "test-classes")))
				.toList();
			assertThat(main).as("the class path of the sample's main classes")
				.anySatisfy((entry) -> assertThat(Path.of(entry)).endsWith(Path.of("target", "classes")))
				.hasSizeLessThan(entries.length);
			return String.join(File.pathSeparator, main);
		}

		/**
		 * Wait until the output contains a text, failing early if the JVM ends.
		 * @param text the text
		 * @return the output so far
		 */
		String awaitOutput(String text) throws IOException {
			await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
				assertThat(this.process.isAlive()).as("the sample is running; its output:%n%s", output()).isTrue();
				return output().contains(text);
			});
			return output();
		}

		/**
		 * Send {@code SIGTERM} and wait until the JVM ended.
		 * @return what it logged from the signal on
		 */
		String sigterm() throws IOException, InterruptedException {
			int before = output().length();
			long start = System.nanoTime();
			this.process.destroy();
			boolean exited = this.process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			String shutdown = output().substring(before);
			assertThat(exited).as("stopped within %s; its output since SIGTERM:%n%s", STOP_DEADLINE, shutdown).isTrue();
			assertThat(this.process.exitValue())
				.as("exit status after %s; its output since SIGTERM:%n%s", took, shutdown)
				.isEqualTo(SIGTERM_EXIT_STATUS);
			return shutdown;
		}

		private String output() throws IOException {
			// not readString: the last character may be half written
			return new String(Files.readAllBytes(this.output), StandardCharsets.UTF_8);
		}

		@Override
		public void close() throws InterruptedException {
			if (this.process.isAlive()) {
				// SIGTERM first: the embedded PostgreSQL outlives a JVM killed at once
				this.process.destroy();
				if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor();
				}
			}
		}

	}

}
