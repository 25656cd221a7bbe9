package io.eventy.autoconfigure.logging;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import io.eventy.context.EventyContextHolder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.StackTracePrinter;
import org.springframework.boot.logging.structured.ContextPairs;
import org.springframework.boot.logging.structured.JsonWriterStructuredLogFormatter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Logback structured log format for Google Cloud Logging (GKE, Cloud Run): one JSON
 * object per line with {@code severity}, {@code message}, {@code time},
 * {@code logging.googleapis.com/trace} (and {@code logging.googleapis.com/spanId} when a
 * tracer put one in the MDC), {@code traceId}, {@code requestId}, {@code logger},
 * {@code thread}, {@code exception} (the stack trace, which Error Reporting picks up),
 * {@code serviceContext} when {@code spring.application.name} is set, and the remaining
 * MDC entries and key-value pairs.
 * <p>
 * Select it with {@code logging.structured.format.console=gke} (Eventy maps the name to
 * this class; the class name works too). The trace field is
 * {@code projects/<project>/traces/<trace id>} when the project is known from
 * {@code spring.cloud.gcp.project-id} or {@code GOOGLE_CLOUD_PROJECT}, else the bare
 * trace id.
 */
public final class GkeStructuredLogFormatter extends JsonWriterStructuredLogFormatter<ILoggingEvent> {

	/** The short name that selects this format. */
	public static final String FORMAT_NAME = "gke";

	private static final String SPAN_ID_KEY = "spanId";

	/**
	 * Create a formatter; Spring Boot's logging system calls this with what it has.
	 * @param environment the environment, for MDC keys, the project and the service name
	 * @param stackTracePrinter the stack trace printer configured with
	 * {@code logging.structured.json.stacktrace.*}, or {@code null}
	 * @param contextPairs how MDC entries are added
	 * @param throwableProxyConverter the converter used when no stack trace printer is
	 * set
	 * @param customizer customizations from {@code logging.structured.json.*}, or
	 * {@code null}
	 */
	public GkeStructuredLogFormatter(Environment environment, @Nullable StackTracePrinter stackTracePrinter,
			ContextPairs contextPairs, ThrowableProxyConverter throwableProxyConverter,
			@Nullable StructuredLoggingJsonMembersCustomizer<?> customizer) {
		super((members) -> jsonMembers(Settings.of(environment), stackTracePrinter, contextPairs,
				throwableProxyConverter, members), customizer);
	}

	private static void jsonMembers(Settings settings, @Nullable StackTracePrinter stackTracePrinter,
			ContextPairs contextPairs, ThrowableProxyConverter throwableProxyConverter,
			JsonWriter.Members<ILoggingEvent> members) {
		members.add("severity", ILoggingEvent::getLevel).as(GkeStructuredLogFormatter::severity);
		members.add("message", ILoggingEvent::getFormattedMessage);
		members.add("time", ILoggingEvent::getInstant).as(DateTimeFormatter.ISO_INSTANT::format);
		members.add("logging.googleapis.com/trace", (event) -> mdc(event, settings.traceIdKey()))
			.whenNotNull()
			.as(settings::traceResource);
		members.add("logging.googleapis.com/spanId", (event) -> mdc(event, SPAN_ID_KEY)).whenNotNull();
		members.add("traceId", (event) -> mdc(event, settings.traceIdKey())).whenNotNull();
		members.add("requestId", (event) -> mdc(event, settings.requestIdKey())).whenNotNull();
		members.add("logger", ILoggingEvent::getLoggerName);
		members.add("thread", ILoggingEvent::getThreadName);
		if (settings.serviceName() != null) {
			members.add("serviceContext", Map.of("service", settings.serviceName()));
		}
		members.add().usingPairs(contextPairs.flat(".", (pairs) -> {
			pairs.add((ILoggingEvent event, BiConsumer<String, String> action) -> otherMdcEntries(settings, event,
					action));
			pairs.add(ILoggingEvent::getKeyValuePairs, (pair) -> pair.key, (pair) -> pair.value);
		}));
		members.add("exception", (event) -> event)
			.whenNotNull(ILoggingEvent::getThrowableProxy)
			.as((event) -> stackTrace(event, stackTracePrinter, throwableProxyConverter));
	}

	private static @Nullable String mdc(ILoggingEvent event, String key) {
		Map<String, String> mdc = event.getMDCPropertyMap();
		return (mdc != null) ? mdc.get(key) : null;
	}

	private static void otherMdcEntries(Settings settings, ILoggingEvent event, BiConsumer<String, String> action) {
		Map<String, String> mdc = event.getMDCPropertyMap();
		if (mdc == null || mdc.isEmpty()) {
			return;
		}
		mdc.forEach((key, value) -> {
			if (!settings.writtenKeys().contains(key)) {
				action.accept(key, value);
			}
		});
	}

	private static String severity(Level level) {
		return switch (level.toInt()) {
			case Level.ERROR_INT -> "ERROR";
			case Level.WARN_INT -> "WARNING";
			case Level.INFO_INT -> "INFO";
			case Level.DEBUG_INT, Level.TRACE_INT -> "DEBUG";
			default -> "DEFAULT";
		};
	}

	private static String stackTrace(ILoggingEvent event, @Nullable StackTracePrinter stackTracePrinter,
			ThrowableProxyConverter throwableProxyConverter) {
		IThrowableProxy proxy = event.getThrowableProxy();
		if (stackTracePrinter != null && proxy instanceof ThrowableProxy throwableProxy) {
			return stackTracePrinter.printStackTraceToString(throwableProxy.getThrowable());
		}
		return throwableProxyConverter.convert(event);
	}

	private record Settings(String traceIdKey, String requestIdKey, @Nullable String projectId,
			@Nullable String serviceName, Set<String> writtenKeys) {

		static Settings of(Environment environment) {
			Binder binder = Binder.get(environment);
			String traceIdKey = binder.bind("eventy.mdc.trace-id-key", String.class)
				.orElse(EventyContextHolder.DEFAULT_TRACE_ID_KEY);
			String requestIdKey = binder.bind("eventy.mdc.request-id-key", String.class)
				.orElse(EventyContextHolder.DEFAULT_REQUEST_ID_KEY);
			String projectId = binder.bind("spring.cloud.gcp.project-id", String.class)
				.orElseGet(() -> environment.getProperty("GOOGLE_CLOUD_PROJECT"));
			String serviceName = environment.getProperty("spring.application.name");
			return new Settings(traceIdKey, requestIdKey, StringUtils.hasText(projectId) ? projectId : null,
					StringUtils.hasText(serviceName) ? serviceName : null,
					Set.copyOf(List.of(traceIdKey, requestIdKey, SPAN_ID_KEY)));
		}

		String traceResource(String traceId) {
			return (this.projectId != null) ? "projects/" + this.projectId + "/traces/" + traceId : traceId;
		}

	}

}
