package io.eventy.autoconfigure.logging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventy.context.EventyContextHolder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Prepares logging before Spring Boot's logging system starts.
 * <ul>
 * <li>{@code logging.structured.format.console=gke} (or {@code .file}) selects
 * {@link GkeStructuredLogFormatter}: Spring Boot 3.5 resolves only its own format names
 * and class names, so the name {@code gke} is translated to the class name here.</li>
 * <li>When {@code logging.pattern.correlation} is not set, the default console and file
 * patterns show the ids: {@code [<trace id>-<request id>] }, or
 * {@code [<trace id>-<span id>-<request id>] } when Spring Boot expects correlation ids
 * from a tracer. This takes the place of Spring Boot's own correlation pattern
 * ({@code [<trace id>-<span id>] }), so nothing shows twice; lines outside any context
 * keep the same width.</li>
 * </ul>
 */
public final class EventyLoggingEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Runs after the configuration files have been loaded. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 10;

	static final String CONSOLE_FORMAT = "logging.structured.format.console";

	static final String FILE_FORMAT = "logging.structured.format.file";

	static final String CORRELATION_PATTERN = "logging.pattern.correlation";

	private static final String LOGBACK_EVENT = "ch.qos.logback.classic.spi.ILoggingEvent";

	/**
	 * Create the post-processor; Spring Boot calls this.
	 */
	public EventyLoggingEnvironmentPostProcessor() {
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> formats = new LinkedHashMap<>();
		if (ClassUtils.isPresent(LOGBACK_EVENT, getClass().getClassLoader())) {
			for (String property : List.of(CONSOLE_FORMAT, FILE_FORMAT)) {
				String format = environment.getProperty(property);
				if (format != null && GkeStructuredLogFormatter.FORMAT_NAME.equalsIgnoreCase(format.strip())) {
					formats.put(property, GkeStructuredLogFormatter.class.getName());
				}
			}
		}
		if (!formats.isEmpty()) {
			environment.getPropertySources().addFirst(new MapPropertySource("eventyStructuredLogFormats", formats));
		}
		if (!environment.containsProperty(CORRELATION_PATTERN)) {
			environment.getPropertySources().addLast(new CorrelationPatternPropertySource(environment));
		}
	}

	/**
	 * Supplies the correlation pattern lazily: whether a tracer is expected is only known
	 * once every post-processor has run.
	 */
	static final class CorrelationPatternPropertySource extends PropertySource<Object> {

		// not the source: Spring Boot walks into property sources whose source is an
		// environment, and this one belongs to the environment it reads
		private final ConfigurableEnvironment environment;

		CorrelationPatternPropertySource(ConfigurableEnvironment environment) {
			super("eventyCorrelationPattern", new Object());
			this.environment = environment;
		}

		@Override
		public @Nullable Object getProperty(String name) {
			return CORRELATION_PATTERN.equals(name) ? pattern() : null;
		}

		private @Nullable String pattern() {
			Binder binder = Binder.get(this.environment);
			String traceIdKey = binder.bind("eventy.mdc.trace-id-key", String.class)
				.orElse(EventyContextHolder.DEFAULT_TRACE_ID_KEY);
			String requestIdKey = binder.bind("eventy.mdc.request-id-key", String.class)
				.orElse(EventyContextHolder.DEFAULT_REQUEST_ID_KEY);
			if (!isPlainKey(traceIdKey) || !isPlainKey(requestIdKey)) {
				return null;
			}
			boolean tracing = binder.bind(LoggingSystem.EXPECT_CORRELATION_ID_PROPERTY, Boolean.class).orElse(false);
			String spanPart = tracing ? "spanId(16)," : "";
			return "%correlationId{" + traceIdKey + "(32)," + spanPart + requestIdKey + "(36)}";
		}

		private static boolean isPlainKey(String key) {
			for (int i = 0; i < key.length(); i++) {
				char c = key.charAt(i);
				if (!(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) {
					return false;
				}
			}
			return !key.isEmpty();
		}

	}

}
