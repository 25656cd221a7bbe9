package io.eventy.autoconfigure.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.EventyContextThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code WebClient}s built from Spring Boot's builder, calling a real server that reports
 * the id headers it received.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"server.tomcat.threads.max=2", "server.tomcat.threads.min-spare=1", "spring.task.execution.pool.core-size=2",
		"spring.application.name=web-test",
		// no tracer: Spring Boot then provides Micrometer's no-op tracer
		"spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration" })
class EventyWebClientServerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ParameterizedTypeReference<Map<String, String>> HEADERS = new ParameterizedTypeReference<>() {
	};

	/** The threads on which exchanges were made (where the filters ran). */
	private final List<Thread> exchangeThreads = new CopyOnWriteArrayList<>();

	private final ExecutorService plainExecutor = Executors.newSingleThreadExecutor();

	@LocalServerPort
	private int port;

	@Autowired
	private WebClient.Builder builder;

	private WebClient client;

	@BeforeEach
	void buildClient() {
		this.client = this.builder.baseUrl("http://127.0.0.1:" + this.port).filter((request, next) -> {
			this.exchangeThreads.add(Thread.currentThread());
			return next.exchange(request);
		}).build();
	}

	@AfterEach
	void stopExecutor() throws InterruptedException {
		this.plainExecutor.shutdownNow();
		assertThat(this.plainExecutor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void sendsTheIdsOfTheCurrentContext() {
		Map<String, String> received;
		try (EventyContextHolder.Scope scope = open("trace-wc", "req-wc")) {
			received = headers().block(TIMEOUT);
		}
		assertThat(received).containsEntry("X-Request-Id", "req-wc").containsEntry("X-Correlation-Id", "trace-wc");
	}

	@Test
	void sendsNoIdOutsideAnyContext() {
		Map<String, String> received = headers().block(TIMEOUT);
		assertThat(received).containsEntry("X-Request-Id", null).containsEntry("X-Correlation-Id", null);
	}

	@Test
	void sendsOnlyTheTraceIdOfAContextWithoutRequestId() {
		Map<String, String> received;
		try (EventyContextHolder.Scope scope = open("trace-only", null)) {
			received = headers().block(TIMEOUT);
		}
		assertThat(received).containsEntry("X-Request-Id", null).containsEntry("X-Correlation-Id", "trace-only");
	}

	@Test
	void keepsAHeaderTheCallerSet() {
		Map<String, String> received;
		try (EventyContextHolder.Scope scope = open("trace-wc", "req-wc")) {
			received = this.client.get()
				.uri("/headers")
				.header("X-Request-Id", "mine")
				.retrieve()
				.bodyToMono(HEADERS)
				.block(TIMEOUT);
		}
		assertThat(received).containsEntry("X-Request-Id", "mine").containsEntry("X-Correlation-Id", "trace-wc");
	}

	@Test
	void sendsTheIdsOfTheCallingThreadWhenTheExchangeIsSubscribedOnAReactorThread() {
		Thread caller = Thread.currentThread();
		Map<String, String> received;
		try (EventyContextHolder.Scope scope = open("trace-hop", "req-hop")) {
			received = headers().subscribeOn(Schedulers.boundedElastic()).block(TIMEOUT);
		}
		assertThat(received).containsEntry("X-Request-Id", "req-hop").containsEntry("X-Correlation-Id", "trace-hop");
		assertThat(this.exchangeThreads).hasSize(1).doesNotContain(caller);
	}

	@Test
	void sendsTheIdsOfTheThreadThatBuiltTheRequestWhenAnotherThreadSubscribesLater() throws Exception {
		Mono<Map<String, String>> call;
		try (EventyContextHolder.Scope scope = open("trace-built", "req-built")) {
			call = headers();
		}
		Map<String, String> received = CompletableFuture.supplyAsync(() -> call.block(TIMEOUT), this.plainExecutor)
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(received).containsEntry("X-Request-Id", "req-built")
			.containsEntry("X-Correlation-Id", "trace-built");
		assertThat(this.exchangeThreads).hasSize(1).doesNotContain(Thread.currentThread());
	}

	@Test
	void sendsTheIdsCapturedInTheReactorContextWhenTheRequestIsBuiltOnAnotherThread() {
		Thread caller = Thread.currentThread();
		Map<String, String> received;
		try (EventyContextHolder.Scope scope = open("trace-captured", "req-captured")) {
			// built and sent on a Reactor thread: only the Reactor context knows the ids
			received = Mono.defer(this::headers)
				.subscribeOn(Schedulers.boundedElastic())
				.contextCapture()
				.block(TIMEOUT);
		}
		assertThat(received).containsEntry("X-Request-Id", "req-captured")
			.containsEntry("X-Correlation-Id", "trace-captured");
		assertThat(this.exchangeThreads).hasSize(1).doesNotContain(caller);
	}

	@Test
	void prefersTheContextInTheReactorContext() {
		Map<String, String> received;
		try (EventyContextHolder.Scope scope = open("trace-thread", "req-thread")) {
			received = headers()
				.contextWrite(Context.of(EventyContextThreadLocalAccessor.KEY, EventyContext.of("trace-rc", "req-rc")))
				.block(TIMEOUT);
		}
		assertThat(received).containsEntry("X-Request-Id", "req-rc").containsEntry("X-Correlation-Id", "trace-rc");
	}

	@Test
	void eachSubscriptionSendsTheIdsCurrentWhenItIsMade() {
		Mono<Map<String, String>> call;
		try (EventyContextHolder.Scope scope = open("trace-first", "req-first")) {
			call = headers();
		}
		Map<String, String> received;
		try (EventyContextHolder.Scope scope = open("trace-second", "req-second")) {
			received = call.block(TIMEOUT);
		}
		assertThat(received).containsEntry("X-Request-Id", "req-second")
			.containsEntry("X-Correlation-Id", "trace-second");
	}

	private Mono<Map<String, String>> headers() {
		return this.client.get().uri("/headers").retrieve().bodyToMono(HEADERS);
	}

	private static EventyContextHolder.Scope open(String traceId, String requestId) {
		return EventyContextHolder.open(EventyContext.of(traceId, requestId));
	}

}
