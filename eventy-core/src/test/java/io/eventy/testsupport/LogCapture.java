package io.eventy.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Captures what is logged through logback, from every thread, with the MDC each line was
 * logged with, until closed.
 */
public final class LogCapture implements AutoCloseable {

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private final Appender appender = new Appender();

	private LogCapture() {
		this.appender.setContext(this.root.getLoggerContext());
		this.appender.start();
		this.root.addAppender(this.appender);
	}

	/**
	 * Start capturing.
	 * @return the capture; close it
	 */
	public static LogCapture start() {
		return new LogCapture();
	}

	/**
	 * Return the lines logged at a level or above on threads whose names start with a
	 * prefix.
	 * @param level the lowest level
	 * @param threadPrefix the start of the thread names
	 * @return the lines, in logging order
	 */
	public List<ILoggingEvent> lines(Level level, String threadPrefix) {
		return lines(
				(event) -> event.getLevel().isGreaterOrEqual(level) && event.getThreadName().startsWith(threadPrefix));
	}

	/**
	 * Return the lines that match.
	 * @param filter which lines
	 * @return the lines, in logging order
	 */
	public List<ILoggingEvent> lines(Predicate<ILoggingEvent> filter) {
		return this.appender.events.stream().filter(filter).toList();
	}

	@Override
	public void close() {
		this.root.detachAppender(this.appender);
		this.appender.stop();
	}

	private static final class Appender extends AppenderBase<ILoggingEvent> {

		private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

		@Override
		protected void append(ILoggingEvent event) {
			// the MDC, thread name and message of the logging thread, now
			event.prepareForDeferredProcessing();
			this.events.add(event);
		}

	}

}
