package io.eventy.handler;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.StoredRecord;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventHandlerDiscoveryTests {

	@Test
	void subscriptionDefaultsToBeanNameDotMethodName() {
		try (AnnotationConfigApplicationContext context = HandlerTestContexts.start("billing", Billing.class)) {
			HandlerEndpointRegistry registry = context.getBean(HandlerEndpointRegistry.class);
			assertThat(registry.endpoints()).extracting(HandlerEndpoint::subscription)
				.containsExactlyInAnyOrder("billing.onOrderPlaced", "invoices", "billing.onContract");
		}
	}

	@Test
	void annotationAttributesBecomeTheEndpointsGuaranteeAndSelection() {
		try (AnnotationConfigApplicationContext context = HandlerTestContexts.start("billing", Billing.class)) {
			HandlerEndpointRegistry registry = context.getBean(HandlerEndpointRegistry.class);
			HandlerEndpoint byType = registry.find("billing.onOrderPlaced").orElseThrow();
			assertThat(byType.guarantee()).isEqualTo(Guarantee.AT_LEAST_ONCE);
			assertThat(byType.recordType().qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
			assertThat(byType.accepts(record("urn:shop", "OrderPlaced"))).isTrue();
			assertThat(byType.accepts(record("urn:shop", "OrderCancelled"))).isFalse();
			assertThat(byType.accepts(record("urn:other", "OrderPlaced"))).isFalse();
			HandlerEndpoint exactlyOnce = registry.find("invoices").orElseThrow();
			assertThat(exactlyOnce.guarantee()).isEqualTo(Guarantee.EXACTLY_ONCE);
			HandlerEndpoint byName = registry.find("billing.onContract").orElseThrow();
			assertThat(byName.recordType()).isNull();
			assertThat(byName.accepts(record("urn:shop", "ContractSuspended"))).isTrue();
			assertThat(byName.accepts(record("urn:shop", "ContractActivated"))).isTrue();
			assertThat(byName.accepts(record("urn:shop", "ContractSuspendedLater"))).isFalse();
			assertThat(byName.accepts(record("urn:shopping", "ContractActivated"))).isFalse();
		}
	}

	@Test
	void payloadAndResponseTypesAreRegisteredBeforeAnyRecordIsWritten() {
		try (AnnotationConfigApplicationContext context = HandlerTestContexts.start("billing", Billing.class)) {
			RecordTypeRegistry registry = context.getBean(io.eventy.record.RecordFactory.class).registry();
			assertThat(registry.find("urn:shop:OrderPlaced")).get()
				.satisfies((descriptor) -> assertThat(descriptor.payloadType()).isEqualTo(OrderPlaced.class));
			assertThat(registry.find("urn:shop:InvoiceIssued")).isPresent();
		}
	}

	@Test
	void handlerOfATransactionalBeanIsCalledThroughItsProxy() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(HandlerTestContexts.Infrastructure.class, TransactionConfiguration.class);
			context.registerBean("transactionalHandler", TransactionalHandler.class);
			context.refresh();
			assertThat(AopUtils.isAopProxy(context.getBean("transactionalHandler"))).isTrue();
			HandlerEndpoint endpoint = context.getBean(HandlerEndpointRegistry.class)
				.find("transactionalHandler.onOrderPlaced")
				.orElseThrow();
			endpoint.handle(stored(OrderPlaced.class, "{\"orderId\":\"42\",\"amountCents\":1200}"));
			assertThat(context.getBean(TransactionalHandler.class).sawTransaction()).containsExactly(true);
		}
	}

	@Test
	void beansWithoutHandlersRegisterNothing() {
		try (AnnotationConfigApplicationContext context = HandlerTestContexts.start("plain", Plain.class)) {
			assertThat(context.getBean(HandlerEndpointRegistry.class).endpoints()).isEmpty();
		}
	}

	@Test
	void twoPayloadParametersFailAtStartupNamingTheMethodAndTheFix() {
		assertThatIllegalStateException().isThrownBy(() -> HandlerTestContexts.start("bad", TwoPayloads.class))
			.withMessageContaining(TwoPayloads.class.getName() + ".handle(OrderPlaced, InvoiceIssued)")
			.withMessageContaining("two payload parameters; declare each at most once");
	}

	@Test
	void unsupportedParameterTypeFailsAtStartupNamingTheMethodAndTheFix() {
		assertThatIllegalStateException().isThrownBy(() -> HandlerTestContexts.start("bad", StringParameter.class))
			.withMessageContaining(StringParameter.class.getName() + ".handle(String)")
			.withMessageContaining("use JsonNode to receive the raw data");
	}

	@Test
	void handlerSelectingNothingFailsAtStartup() {
		assertThatIllegalStateException().isThrownBy(() -> HandlerTestContexts.start("bad", SelectsNothing.class))
			.withMessageContaining(SelectsNothing.class.getName() + ".handle(StoredRecord)")
			.withMessageContaining("set @EventHandler(name = ");
	}

	@Test
	void invalidNamePatternFailsAtStartup() {
		assertThatIllegalStateException().isThrownBy(() -> HandlerTestContexts.start("bad", BadPattern.class))
			.withMessageContaining(BadPattern.class.getName() + ".handle(JsonNode)")
			.withMessageContaining("is not a regular expression");
	}

	@Test
	void topicsOfAHandlerBecomeItsEndpointsTopicsEachOnce() {
		try (AnnotationConfigApplicationContext context = HandlerTestContexts.start("billing", Billing.class)) {
			HandlerEndpointRegistry registry = context.getBean(HandlerEndpointRegistry.class);
			assertThat(registry.find("billing.onContract").orElseThrow().topics()).containsExactly("shop-events",
					"crm.events");
			assertThat(registry.find("invoices").orElseThrow().topics()).isEmpty();
		}
	}

	@Test
	void topicThatIsNoKafkaTopicNameFailsAtStartupNamingTheMethodAndTheAttribute() {
		assertThatIllegalStateException().isThrownBy(() -> HandlerTestContexts.start("bad", BadTopic.class))
			.withMessageContaining(BadTopic.class.getName() + ".handle(OrderPlaced)")
			.withMessageContaining("its topic 'shop events' is not a Kafka topic name")
			.withMessageContaining("@EventHandler(topics = ...)");
	}

	@Test
	void primitiveReturnTypeFailsAtStartup() {
		assertThatIllegalStateException().isThrownBy(() -> HandlerTestContexts.start("bad", ReturnsInt.class))
			.withMessageContaining(ReturnsInt.class.getName() + ".handle(OrderPlaced)")
			.withMessageContaining("Return void, a payload object, or a Collection of payload objects");
	}

	@Test
	void sameSubscriptionTwiceFailsAtStartupNamingBothMethods() {
		assertThatIllegalStateException()
			.isThrownBy(() -> HandlerTestContexts.start("one", SameSubscription.class, "two", SameSubscription.class))
			.withMessageContaining("Subscription 'shared' is declared twice")
			.withMessageContaining(SameSubscription.class.getName() + ".a(OrderPlaced)");
	}

	@Test
	void handlersWithoutAnEventStoreFailAtStartupSayingWhatIsMissing() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(NoStore.class);
			context.registerBean("billing", Billing.class);
			assertThatThrownBy(context::refresh).hasMessageContaining("found a RecordFactory and no EventStore");
		}
	}

	static EventyRecord record(String namespace, String name) {
		return EventyRecord.builder(RecordKind.EVENT).namespace(namespace).name(name).source("urn:test").build();
	}

	static StoredRecord stored(Class<?> type, String json) {
		try {
			var factory = HandlerTestContexts.recordFactory();
			var descriptor = factory.registry().register(type);
			EventyRecord record = EventyRecord.builder(descriptor.kind())
				.namespace(descriptor.namespace())
				.name(descriptor.name())
				.source("urn:test")
				.data(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json))
				.build();
			return new StoredRecord(record, null, 0, 1, null, null, null, factory.converter());
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId, long amountCents) {
	}

	@RecordType(namespace = "urn:shop")
	record InvoiceIssued(String orderId) {
	}

	static class Billing {

		@EventHandler
		void onOrderPlaced(OrderPlaced event, StoredRecord record) {
		}

		@EventHandler(subscription = "invoices", guarantee = Guarantee.EXACTLY_ONCE)
		InvoiceIssued issue(OrderPlaced event) {
			return new InvoiceIssued(event.orderId());
		}

		@EventHandler(name = "urn:shop:Contract(Suspended|Activated)",
				topics = { "shop-events", "crm.events", "shop-events" })
		void onContract(JsonNode data) {
		}

	}

	static class BadTopic {

		@EventHandler(topics = "shop events")
		void handle(OrderPlaced event) {
		}

	}

	static class Plain {

		void onOrderPlaced(OrderPlaced event) {
		}

	}

	static class TwoPayloads {

		@EventHandler
		void handle(OrderPlaced a, InvoiceIssued b) {
		}

	}

	static class StringParameter {

		@EventHandler
		void handle(String data) {
		}

	}

	static class SelectsNothing {

		@EventHandler
		void handle(StoredRecord record) {
		}

	}

	static class BadPattern {

		@EventHandler(name = "urn:shop:(unclosed")
		void handle(JsonNode data) {
		}

	}

	static class ReturnsInt {

		@EventHandler
		int handle(OrderPlaced event) {
			return 1;
		}

	}

	static class SameSubscription {

		@EventHandler(subscription = "shared")
		void a(OrderPlaced event) {
		}

	}

	static class TransactionalHandler {

		private final List<Boolean> sawTransaction = new java.util.concurrent.CopyOnWriteArrayList<>();

		public List<Boolean> sawTransaction() {
			return this.sawTransaction;
		}

		@EventHandler
		@Transactional
		public void onOrderPlaced(OrderPlaced event) {
			this.sawTransaction.add(TransactionSynchronizationManager.isActualTransactionActive());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class TransactionConfiguration {

		@Bean
		DataSourceTransactionManager transactionManager() throws SQLException {
			var dataSource = PostgresTestDatabase.newDatabase();
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(5)).isTrue();
			}
			return new DataSourceTransactionManager(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	static class NoStore {

		@Bean
		io.eventy.record.RecordFactory recordFactory() {
			return HandlerTestContexts.recordFactory();
		}

	}

}
