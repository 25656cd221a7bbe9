package io.eventy.autoconfigure.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * A tiny web application for the servlet tests: endpoints that report the ids they see.
 */
@SpringBootConfiguration
// the web side of Eventy alone: no database, and no Kafka store by default without one
@EnableAutoConfiguration(exclude = { DataSourceAutoConfiguration.class, EventyKafkaAutoConfiguration.class })
@EnableAsync
@Import({ WebTestApplication.IdsController.class, WebTestApplication.AsyncIds.class,
		WebTestApplication.WriteTimeIds.class })
class WebTestApplication {

	/** What the leak detector found: ids present before or after a request. */
	static final List<String> leaks = new CopyOnWriteArrayList<>();

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> leakDetector() {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {

					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						check("before " + request.getRequestURI());
						try {
							chain.doFilter(request, response);
						}
						finally {
							check("after " + request.getRequestURI());
						}
					}

					private void check(String when) {
						if (MDC.get("traceId") != null || MDC.get("requestId") != null
								|| EventyContextHolder.current() != null) {
							leaks.add(when + ": " + MDC.getCopyOfContextMap() + " " + EventyContextHolder.current());
						}
					}

				});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	static Map<String, String> ids() {
		Map<String, String> ids = new LinkedHashMap<>();
		EventyContext context = EventyContextHolder.current();
		ids.put("mdcTraceId", MDC.get("traceId"));
		ids.put("mdcRequestId", MDC.get("requestId"));
		ids.put("traceId", (context != null) ? context.traceId() : null);
		ids.put("requestId", (context != null) ? context.requestId() : null);
		ids.put("traceparent", (context != null) ? context.traceparent() : null);
		ids.put("thread", Thread.currentThread().getName());
		return ids;
	}

	@RestController
	static class IdsController {

		private static final Logger logger = LoggerFactory.getLogger(IdsController.class);

		private final AsyncIds asyncIds;

		private final RestClient.Builder restClientBuilder;

		private final RestTemplateBuilder restTemplateBuilder;

		private final WebClient.Builder webClientBuilder;

		private final Environment environment;

		private final ObjectProvider<Tracer> tracer;

		IdsController(AsyncIds asyncIds, RestClient.Builder restClientBuilder, RestTemplateBuilder restTemplateBuilder,
				WebClient.Builder webClientBuilder, Environment environment, ObjectProvider<Tracer> tracer) {
			this.asyncIds = asyncIds;
			this.restClientBuilder = restClientBuilder;
			this.restTemplateBuilder = restTemplateBuilder;
			this.webClientBuilder = webClientBuilder;
			this.environment = environment;
			this.tracer = tracer;
		}

		@GetMapping("/ids")
		Map<String, String> ids() {
			logger.info("reporting ids");
			Map<String, String> ids = WebTestApplication.ids();
			Tracer tracer = this.tracer.getIfAvailable();
			Span span = (tracer != null) ? tracer.currentSpan() : null;
			ids.put("tracerTraceId", (span != null) ? span.context().traceId() : null);
			return ids;
		}

		@GetMapping("/async")
		Map<String, String> async() {
			return this.asyncIds.ids().join();
		}

		@GetMapping("/deferred")
		DeferredResult<Map<String, String>> deferred() {
			DeferredResult<Map<String, String>> result = new DeferredResult<>();
			CompletableFuture.runAsync(() -> result.setResult(new LinkedHashMap<>(Map.of("deferred", "true"))));
			return result;
		}

		@GetMapping("/headers")
		Map<String, String> headers(@RequestHeader(name = "X-Request-Id", required = false) String requestId,
				@RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put("X-Request-Id", requestId);
			headers.put("X-Correlation-Id", correlationId);
			return headers;
		}

		@GetMapping("/outgoing")
		Map<?, ?> outgoing() {
			return this.restClientBuilder.baseUrl(localUrl()).build().get().uri("/headers").retrieve().body(Map.class);
		}

		@GetMapping("/outgoing-template")
		Map<?, ?> outgoingTemplate() {
			return this.restTemplateBuilder.baseUri(localUrl()).build().getForObject("/headers", Map.class);
		}

		// Spring MVC subscribes to the returned Mono and writes its value in an async
		// dispatch
		@GetMapping("/outgoing-webclient")
		Mono<Map<String, Object>> outgoingWebClient() {
			return this.webClientBuilder.baseUrl(localUrl())
				.build()
				.get()
				.uri("/headers")
				.retrieve()
				.bodyToMono(new ParameterizedTypeReference<>() {
				});
		}

		private String localUrl() {
			return "http://127.0.0.1:" + this.environment.getProperty("local.server.port");
		}

	}

	@Service
	static class AsyncIds {

		@Async
		CompletableFuture<Map<String, String>> ids() {
			return CompletableFuture.completedFuture(WebTestApplication.ids());
		}

	}

	/**
	 * Adds the ids seen when a deferred result's body is written, which happens in the
	 * async dispatch.
	 */
	@ControllerAdvice
	static class WriteTimeIds implements ResponseBodyAdvice<Object> {

		@Override
		public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
			return true;
		}

		@Override
		@SuppressWarnings("unchecked")
		public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
				Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
				ServerHttpResponse response) {
			if (body instanceof Map<?, ?> map && map.containsKey("deferred")) {
				Map<String, String> ids = (Map<String, String>) map;
				ids.putAll(WebTestApplication.ids());
				if (request instanceof ServletServerHttpRequest servletRequest) {
					ids.put("dispatch", servletRequest.getServletRequest().getDispatcherType().name());
				}
			}
			return body;
		}

	}

}
