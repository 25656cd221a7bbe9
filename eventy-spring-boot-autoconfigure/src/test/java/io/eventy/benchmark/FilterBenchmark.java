package io.eventy.benchmark;

import java.util.Arrays;
import java.util.Locale;

import brave.Tracing;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import io.eventy.autoconfigure.web.EventyRequestContextFilter;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.MicrometerTracingBridge;
import io.eventy.context.TracingBridge;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Per-request cost of {@link EventyRequestContextFilter}: the same request handled by a
 * trivial chain with and without the filter in front, in a single thread.
 * <p>
 * Run:
 * {@code mvn -pl eventy-spring-boot-autoconfigure -am -Pbenchmark -DskipTests verify} (or
 * {@code java -cp <test classpath> io.eventy.benchmark.FilterBenchmark [iterations]}).
 * Each scenario runs 5 warm-up rounds, then 10 measured rounds; the median round is
 * reported in nanoseconds per request.
 */
public final class FilterBenchmark {

	private static final int WARMUP_ROUNDS = 5;

	private static final int MEASURED_ROUNDS = 10;

	private static long sink;

	private FilterBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args optionally the number of requests per round (default 1,000,000)
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		int iterations = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		FilterChain chain = FilterBenchmark::endOfChain;
		EventyRequestContextFilter filter = new EventyRequestContextFilter("X-Request-Id", "X-Correlation-Id",
				TracingBridge.noop());
		System.out.printf(Locale.ROOT,
				"EventyRequestContextFilter, %,d requests per round, %d warm-up + %d rounds, "
						+ "median ns/request (Java %s, %d cpus)%n",
				iterations, WARMUP_ROUNDS, MEASURED_ROUNDS, System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors());
		report("no id headers (generates both ids)", new MockHttpServletRequest("GET", "/orders"), filter, chain,
				iterations);
		report("valid X-Request-Id and X-Correlation-Id", withHeaders("req-0001", "4bf92f3577b34da6a3ce929d0e0e4736"),
				filter, chain, iterations);
		report("hostile 300-character headers (replaced)", withHeaders("x".repeat(300), "\"{quoted}\"".repeat(30)),
				filter, chain, iterations);
		try (Tracing tracing = Tracing.newBuilder()
			.currentTraceContext(ThreadLocalCurrentTraceContext.create())
			.traceId128Bit(true)
			.sampler(Sampler.NEVER_SAMPLE)
			.build()) {
			Tracer tracer = new BraveTracer(tracing.tracer(),
					new BraveCurrentTraceContext(tracing.currentTraceContext()));
			EventyRequestContextFilter tracedFilter = new EventyRequestContextFilter("X-Request-Id", "X-Correlation-Id",
					new MicrometerTracingBridge(tracer));
			Span span = tracer.nextSpan().start();
			try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
				report("Brave span current (trace id and traceparent from the tracer)",
						withHeaders("req-0001", "ignored"), tracedFilter, chain, iterations);
			}
			finally {
				span.end();
			}
		}
		System.out.println("sink " + sink);
	}

	private static void endOfChain(ServletRequest request, ServletResponse response) {
		EventyContext context = EventyContextHolder.current();
		sink += (context != null) ? context.traceId().length() : 1;
	}

	private static MockHttpServletRequest withHeaders(String requestId, String correlationId) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
		request.addHeader("X-Request-Id", requestId);
		request.addHeader("X-Correlation-Id", correlationId);
		return request;
	}

	private static void report(String scenario, MockHttpServletRequest request, EventyRequestContextFilter filter,
			FilterChain chain, int iterations) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		double[] without = new double[MEASURED_ROUNDS];
		double[] with = new double[MEASURED_ROUNDS];
		for (int round = 0; round < WARMUP_ROUNDS + MEASURED_ROUNDS; round++) {
			double plain = measure(request, response, null, chain, iterations);
			double filtered = measure(request, response, filter, chain, iterations);
			if (round >= WARMUP_ROUNDS) {
				without[round - WARMUP_ROUNDS] = plain;
				with[round - WARMUP_ROUNDS] = filtered;
			}
		}
		double plainMedian = median(without);
		double filteredMedian = median(with);
		System.out.printf(Locale.ROOT, "%-62s without %7.1f  with %7.1f  filter cost %7.1f ns/request%n", scenario,
				plainMedian, filteredMedian, filteredMedian - plainMedian);
	}

	private static double measure(MockHttpServletRequest request, MockHttpServletResponse response,
			EventyRequestContextFilter filter, FilterChain chain, int iterations) throws Exception {
		long start = System.nanoTime();
		for (int i = 0; i < iterations; i++) {
			// a fresh request as far as the filter can tell
			request.removeAttribute(EventyRequestContextFilter.CONTEXT_ATTRIBUTE);
			if (filter != null) {
				filter.doFilter(request, response, chain);
			}
			else {
				chain.doFilter(request, response);
			}
		}
		return (System.nanoTime() - start) / (double) iterations;
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

}
