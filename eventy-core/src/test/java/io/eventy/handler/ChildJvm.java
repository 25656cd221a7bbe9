package io.eventy.handler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own that runs a main class of the tests on the tests' class path. Its
 * output (stdout and stderr) is collected line by line, and echoed with a prefix so that
 * it shows in the test's output.
 */
public final class ChildJvm implements AutoCloseable {

	private final String name;

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private ChildJvm(String name, Process process) {
		this.name = name;
		this.process = process;
		this.reader = new Thread(this::read, name + "-output");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Start a JVM that runs a main class.
	 * @param mainClass the class whose {@code main} runs
	 * @param args its arguments
	 * @return the running JVM
	 */
	public static ChildJvm start(Class<?> mainClass, String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// a small, quickly started JVM: the tests share two cores with other builds
		command.add("-Xmx256m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(List.of(args));
		try {
			return new ChildJvm(mainClass.getSimpleName(),
					new ProcessBuilder(command).redirectErrorStream(true).start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start a JVM for " + mainClass.getName(), ex);
		}
	}

	private void read() {
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = output.readLine()) != null) {
				this.lines.add(line);
				System.out.println("[" + this.name + "] " + line);
			}
		}
		catch (IOException ex) {
			// the JVM is gone
		}
	}

	/**
	 * Return whether the JVM has printed a line.
	 * @param line the whole line
	 * @return whether it was printed
	 */
	public boolean printed(String line) {
		return this.lines.contains(line);
	}

	/**
	 * Return the lines the JVM printed so far.
	 * @return the lines
	 */
	public List<String> output() {
		return List.copyOf(this.lines);
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Send {@code SIGTERM}, as an orchestrator stopping the application does.
	 */
	public void terminate() {
		// ProcessHandle.destroy() sends SIGTERM on Linux and macOS, as Process.destroy()
		// does, but without closing our end of the output pipe: what the JVM prints while
		// it shuts down is read too
		this.process.toHandle().destroy();
	}

	/**
	 * Send {@code SIGKILL}, as when the process is killed or its machine dies: nothing of
	 * it runs any more, no shutdown hook.
	 */
	public void kill() {
		this.process.toHandle().destroyForcibly();
	}

	/**
	 * Wait until the JVM exited and its output was read, at most a while.
	 * @param timeout the longest wait
	 * @return whether it exited in time
	 * @throws InterruptedException if interrupted
	 */
	public boolean waitFor(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			return false;
		}
		this.reader.join(timeout.toMillis());
		return true;
	}

	public int exitValue() {
		return this.process.exitValue();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
	}

}
