package io.eventy.handler;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadConversionException;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresHandlerFixture;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HandlerEndpointTests {

	private static final ObjectMapper objectMapper = new ObjectMapper();

	private AnnotationConfigApplicationContext context;

	private HandlerEndpointRegistry registry;

	private PostgresEventStore store;

	private RecordFactory factory;

	private Handlers handlers;

	@BeforeEach
	void startContext() {
		this.context = HandlerTestContexts.start(PostgresHandlerFixture.database(), "handlers", Handlers.class);
		this.registry = this.context.getBean(HandlerEndpointRegistry.class);
		this.store = this.context.getBean(PostgresEventStore.class);
		this.factory = this.context.getBean(RecordFactory.class);
		this.handlers = this.context.getBean(Handlers.class);
	}

	@AfterEach
	void closeContext() {
		this.context.close();
	}

	@Test
	void passesPayloadJsonStoredRecordAndEventyRecordInAnyOrder() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":\"42\",\"amountCents\":1200}", "rq-1");
		endpoint("handlers.everything").handle(record);
		assertThat(this.handlers.arguments).hasSize(1);
		Object[] arguments = this.handlers.arguments.get(0);
		assertThat(arguments[0]).isSameAs(record.record());
		assertThat(arguments[1]).isEqualTo(new OrderPlaced("42", 1200));
		assertThat(arguments[2]).isSameAs(record);
		assertThat(((JsonNode) arguments[3]).get("orderId").asText()).isEqualTo("42");
	}

	@Test
	void jackson3JsonNodeParameterReceivesTheDataWithAJackson2Converter() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":\"42\",\"amountCents\":1200}", null);
		endpoint("handlers.jackson3").handle(record);
		assertThat(this.handlers.arguments).singleElement().satisfies((arguments) -> {
			tools.jackson.databind.JsonNode data = (tools.jackson.databind.JsonNode) arguments[0];
			assertThat(data.get("orderId").stringValue()).isEqualTo("42");
			assertThat(data.get("amountCents").longValue()).isEqualTo(1200);
		});
	}

	@Test
	void jackson3ObjectNodeParameterGoesWithTheOtherParameters() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":\"42\",\"amountCents\":1200}", null);
		endpoint("handlers.jackson3WithJackson2").handle(record);
		Object[] arguments = this.handlers.arguments.get(0);
		assertThat(arguments[0]).isInstanceOf(tools.jackson.databind.node.ObjectNode.class);
		assertThat(arguments[0]).hasToString("{\"orderId\":\"42\",\"amountCents\":1200}");
		assertThat(arguments[1]).isEqualTo(new OrderPlaced("42", 1200));
		assertThat(arguments[2]).isSameAs(record.record().data());
	}

	@Test
	void runtimeExceptionOfTheHandlerPassesThroughUnchanged() {
		StoredRecord record = stored(Failure.class, "{\"message\":\"boom\"}", null);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> endpoint("handlers.failsWithRuntime").handle(record))
			.withMessage("boom");
	}

	@Test
	void checkedExceptionOfTheHandlerIsWrappedNamingHandlerAndRecord() {
		StoredRecord record = stored(Failure.class, "{\"message\":\"disk full\"}", null);
		assertThatExceptionOfType(HandlerInvocationException.class)
			.isThrownBy(() -> endpoint("handlers.failsWithChecked").handle(record))
			.withMessageContaining(Handlers.class.getName() + ".failsWithChecked(Failure)")
			.withMessageContaining(record.record().uuid().toString())
			.withCauseInstanceOf(IOException.class);
	}

	@Test
	void handlerRunsInTheContextOfItsRecordAndTheContextIsRestoredAfterwards() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":\"42\",\"amountCents\":1200}", "rq-7");
		try (EventyContextHolder.Scope outer = EventyContextHolder.open(EventyContext.of("outer-trace", "outer-rq"))) {
			endpoint("handlers.context").handle(record);
			assertThat(EventyContextHolder.current().traceId()).isEqualTo("outer-trace");
			assertThat(MDC.get("requestId")).isEqualTo("outer-rq");
		}
		EventyContext seen = this.handlers.contexts.get(0);
		assertThat(seen.traceId()).isEqualTo(record.record().correlationId());
		assertThat(seen.requestId()).isEqualTo("rq-7");
		assertThat(seen.causationId()).isEqualTo(record.record().uuid().toString());
		assertThat(seen.context()).containsEntry("tenant", Map.of("id", "acme"));
		assertThat(this.handlers.mdc.get(0)).containsEntry("traceId", record.record().correlationId())
			.containsEntry("requestId", "rq-7");
	}

	@Test
	void requestIdThatIsNotAValidIdIsDropped() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":\"42\",\"amountCents\":1200}",
				"bad id\nwith newline");
		endpoint("handlers.context").handle(record);
		assertThat(this.handlers.contexts.get(0).requestId()).isNull();
	}

	@Test
	void returnedPayloadIsPublishedWithTheHandledRecordsPartitionKeyAndContext() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":\"42\",\"amountCents\":1200}", "rq-1");
		endpoint("handlers.issue").handle(record);
		assertThat(published()).hasSize(1);
		StoredRecord published = published().get(0);
		EventyRecord emitted = published.record();
		assertThat(emitted.qualifiedName()).isEqualTo("urn:shop:InvoiceIssued");
		assertThat(emitted.partitionKey()).isEqualTo("order-42");
		assertThat(emitted.correlationId()).isEqualTo(record.record().correlationId());
		assertThat(emitted.context()).containsEntry("tenant", Map.of("id", "acme"));
		assertThat(published.requestId()).isEqualTo("rq-1");
		assertThat(published.causationId()).isEqualTo(record.record().uuid().toString());
	}

	@Test
	void eachPayloadOfAReturnedCollectionIsPublished() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":\"42\",\"amountCents\":1200}", null);
		endpoint("handlers.issueTwo").handle(record);
		assertThat(published()).extracting((published) -> published.record().data().toString())
			.containsExactly("{\"orderId\":\"42-a\"}", "{\"orderId\":\"42-b\"}");
	}

	@Test
	void requestHandlersReturnValueBecomesAResponseToTheRequestsSource() {
		StoredRecord request = stored(Quote.class, "{\"orderId\":\"42\"}", null);
		endpoint("handlers.quote").handle(request);
		EventyRecord response = published().get(0).record();
		assertThat(response.kind()).isEqualTo(RecordKind.RESPONSE);
		assertThat(response.qualifiedName()).isEqualTo("urn:shop:QuoteGiven");
		assertThat(response.destination()).isEqualTo("urn:test");
		assertThat(response.requestUuid()).isEqualTo(request.record().uuid());
		assertThat(response.ok()).isTrue();
		assertThat(response.data().get("cents").asLong()).isEqualTo(500);
	}

	@Test
	void requestHandlersExceptionBecomesAnErrorResponse() {
		StoredRecord request = stored(Quote.class, "{\"orderId\":\"unknown\"}", null);
		HandlerEndpoint endpoint = endpoint("handlers.quote");
		Throwable failure = catchFailure(() -> endpoint.handle(request));
		assertThat(endpoint.answersFailures(request)).isTrue();
		endpoint.answerFailure(request, failure);
		EventyRecord response = published().get(0).record();
		assertThat(response.kind()).isEqualTo(RecordKind.RESPONSE);
		assertThat(response.qualifiedName()).isEqualTo("urn:shop:QuoteGiven");
		assertThat(response.ok()).isFalse();
		assertThat(response.errorCode()).isEqualTo(500);
		assertThat(response.errorMessage()).isEqualTo("no such order: unknown");
		assertThat(response.requestUuid()).isEqualTo(request.record().uuid());
	}

	@Test
	void requestHandlerChoosesTheErrorCodeAndMessageWithEventyErrorResponseException() {
		StoredRecord request = stored(Charge.class, "{\"card\":\"declined\",\"cents\":500}", null);
		assertThat(new HandlerDispatcher(endpoint("handlers.charge"), HandlerObserver.noop()).dispatch(request))
			.isNull();
		EventyRecord response = published().get(0).record();
		assertThat(response.ok()).isFalse();
		assertThat(response.errorCode()).isEqualTo(402);
		assertThat(response.errorMessage()).isEqualTo("Card declined");
		assertThat(this.handlers.charges).containsExactly("declined");
	}

	@Test
	void requestThatFailsBeanValidationIsAnsweredWith400WithoutCallingTheHandler() {
		StoredRecord request = stored(Charge.class, "{\"card\":\" \",\"cents\":0}", null);
		assertThat(new HandlerDispatcher(endpoint("handlers.charge"), HandlerObserver.noop()).dispatch(request))
			.isNull();
		EventyRecord response = published().get(0).record();
		assertThat(response.ok()).isFalse();
		assertThat(response.errorCode()).isEqualTo(400);
		assertThat(response.errorMessage()).contains("card: must not be blank", "cents: must be greater than 0");
		assertThat(this.handlers.charges).isEmpty();
	}

	@Test
	void requestWhoseDataDoesNotFitItsTypeIsAnsweredWith400() {
		StoredRecord request = stored(Charge.class, "{\"card\":\"ok\",\"cents\":{\"nested\":1}}", null);
		assertThat(new HandlerDispatcher(endpoint("handlers.charge"), HandlerObserver.noop()).dispatch(request))
			.isNull();
		EventyRecord response = published().get(0).record();
		assertThat(response.errorCode()).isEqualTo(400);
		assertThat(this.handlers.charges).isEmpty();
	}

	@Test
	void dispatcherAnswersAFailedRequestAndCountsItHandled() {
		StoredRecord request = stored(Quote.class, "{\"orderId\":\"unknown\"}", null);
		RecordingObserver observer = new RecordingObserver();
		assertThat(new HandlerDispatcher(endpoint("handlers.quote"), observer).dispatch(request)).isNull();
		assertThat(published()).singleElement().satisfies((response) -> assertThat(response.record().ok()).isFalse());
		assertThat(observer.events).containsExactly("called handlers.quote true", "handled handlers.quote SUCCESS");
	}

	@Test
	void dispatcherReturnsAnEventHandlersFailureAndCountsTheFailedCall() {
		StoredRecord record = stored(Failure.class, "{\"message\":\"boom\"}", null);
		RecordingObserver observer = new RecordingObserver();
		HandlerDispatcher dispatcher = new HandlerDispatcher(endpoint("handlers.failsWithRuntime"), observer);
		assertThat(dispatcher.dispatch(record)).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
		assertThat(observer.events).containsExactly("called handlers.failsWithRuntime false");
		RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofSeconds(1));
		assertThat(dispatcher.givesUp(new IllegalArgumentException("boom"), 2, policy)).isFalse();
		assertThat(dispatcher.givesUp(new IllegalArgumentException("boom"), 3, policy)).isTrue();
		dispatcher.retrying("at position 1", 1, policy, Duration.ofMillis(10), new IllegalArgumentException("boom"));
		dispatcher.gaveUp("at position 1", "urn:shop:Failure", 3, "", new IllegalArgumentException("boom"));
		assertThat(observer.events).endsWith("handled handlers.failsWithRuntime RETRY",
				"handled handlers.failsWithRuntime DEAD_LETTER");
	}

	@Test
	void dispatcherGivesUpAtOnceOnDataThatNoLongerFitsThePayloadType() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":{\"nested\":true},\"amountCents\":\"x\"}", null);
		HandlerDispatcher dispatcher = new HandlerDispatcher(endpoint("handlers.context"), HandlerObserver.noop());
		Throwable failure = dispatcher.dispatch(record);
		assertThat(failure).isNotNull();
		assertThat(dispatcher.givesUp(failure, 1, RetryPolicy.defaults())).isTrue();
	}

	@Test
	void eventHandlerFailuresAreRetriedNotAnswered() {
		StoredRecord record = stored(Failure.class, "{\"message\":\"boom\"}", null);
		HandlerEndpoint endpoint = endpoint("handlers.failsWithRuntime");
		assertThat(endpoint.answersFailures(record)).isFalse();
		assertThat(endpoint.isRetryable(catchFailure(() -> endpoint.handle(record)))).isTrue();
	}

	@Test
	void recordWhoseDataNoLongerFitsThePayloadTypeIsNotRetryable() {
		StoredRecord record = stored(OrderPlaced.class, "{\"orderId\":{\"nested\":true},\"amountCents\":\"x\"}", null);
		HandlerEndpoint endpoint = endpoint("handlers.context");
		Throwable failure = catchFailure(() -> endpoint.handle(record));
		assertThat(failure).isInstanceOf(PayloadConversionException.class);
		assertThat(endpoint.isRetryable(failure)).isFalse();
	}

	/**
	 * What the handlers published, read back from the store.
	 */
	private List<StoredRecord> published() {
		return this.store.readAll(1, 100);
	}

	private HandlerEndpoint endpoint(String subscription) {
		return this.registry.find(subscription).orElseThrow();
	}

	private static Throwable catchFailure(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			return ex;
		}
		throw new AssertionError("expected a failure");
	}

	private StoredRecord stored(Class<?> type, String json, String requestId) {
		RecordTypeDescriptor descriptor = this.factory.registry().register(type);
		try {
			EventyRecord record = EventyRecord.builder(descriptor.kind())
				.namespace(descriptor.namespace())
				.name(descriptor.name())
				.source("urn:test")
				.partitionKey("order-42")
				.context(Map.of("tenant", Map.of("id", "acme")))
				.data(objectMapper.readTree(json))
				.build();
			return new StoredRecord(record, StreamId.of("order", "42"), 1, 1, requestId, null, null,
					this.factory.converter());
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId, long amountCents) {
	}

	@RecordType(namespace = "urn:shop")
	record InvoiceIssued(String orderId) {
	}

	@RecordType(namespace = "urn:shop")
	record Failure(String message) {
	}

	@RecordType(namespace = "urn:shop", kind = RecordKind.REQUEST)
	record Quote(String orderId) {
	}

	@RecordType(namespace = "urn:shop", kind = RecordKind.RESPONSE)
	record QuoteGiven(long cents) {
	}

	@RecordType(namespace = "urn:shop", kind = RecordKind.REQUEST)
	record Charge(@NotBlank String card, @Positive long cents) {
	}

	static class Handlers {

		final List<Object[]> arguments = new CopyOnWriteArrayList<>();

		final List<EventyContext> contexts = new CopyOnWriteArrayList<>();

		final List<Map<String, String>> mdc = new CopyOnWriteArrayList<>();

		final List<String> charges = new CopyOnWriteArrayList<>();

		@EventHandler
		void everything(EventyRecord envelope, OrderPlaced event, StoredRecord record, JsonNode data) {
			this.arguments.add(new Object[] { envelope, event, record, data });
		}

		@EventHandler(name = "urn:shop:OrderPlaced")
		void jackson3(tools.jackson.databind.JsonNode data) {
			this.arguments.add(new Object[] { data });
		}

		@EventHandler
		void jackson3WithJackson2(tools.jackson.databind.node.ObjectNode data, OrderPlaced event, JsonNode raw) {
			this.arguments.add(new Object[] { data, event, raw });
		}

		@EventHandler
		void context(OrderPlaced event) {
			this.contexts.add(EventyContextHolder.current());
			this.mdc.add(MDC.getCopyOfContextMap());
		}

		@EventHandler
		void failsWithRuntime(Failure failure) {
			throw new IllegalArgumentException(failure.message());
		}

		@EventHandler
		void failsWithChecked(Failure failure) throws IOException {
			throw new IOException(failure.message());
		}

		@EventHandler
		InvoiceIssued issue(OrderPlaced event) {
			return new InvoiceIssued(event.orderId());
		}

		@EventHandler
		List<InvoiceIssued> issueTwo(OrderPlaced event) {
			return List.of(new InvoiceIssued(event.orderId() + "-a"), new InvoiceIssued(event.orderId() + "-b"));
		}

		@EventHandler
		QuoteGiven quote(Quote quote) {
			if (quote.orderId().equals("unknown")) {
				throw new IllegalStateException("no such order: " + quote.orderId());
			}
			return new QuoteGiven(500);
		}

		@EventHandler
		QuoteGiven charge(Charge charge) {
			this.charges.add(charge.card());
			if (charge.card().equals("declined")) {
				throw new EventyErrorResponseException(402, "Card declined");
			}
			return new QuoteGiven(charge.cents());
		}

	}

	static final class RecordingObserver implements HandlerObserver {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void called(String subscription, Duration duration, boolean succeeded) {
			this.events.add("called " + subscription + " " + succeeded);
		}

		@Override
		public void handled(String subscription, Outcome outcome) {
			this.events.add("handled " + subscription + " " + outcome);
		}

	}

}
