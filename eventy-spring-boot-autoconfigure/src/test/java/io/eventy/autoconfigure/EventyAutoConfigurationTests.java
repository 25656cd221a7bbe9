package io.eventy.autoconfigure;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.eventy.record.Jackson3PayloadConverter;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.autoconfigure.scan.NotARecordType;
import io.eventy.autoconfigure.scan.ScanConfiguration;
import io.eventy.autoconfigure.scan.ScannedCustomerRegistered;
import io.eventy.autoconfigure.scan.ScannedOrderPlaced;
import io.eventy.record.BeanValidationPayloadValidator;
import io.eventy.record.EventyRecord;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.record.UpcastingPayloadConverter;
import io.eventy.serializer.JsonRecordSerializer;
import io.eventy.serializer.RecordSerializer;
import io.eventy.service.ServiceDefinition;
import io.eventy.service.ServiceRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class EventyAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				EventyAutoConfiguration.class))
		.withPropertyValues("spring.application.name=order-service");

	@Test
	void createsTheRecordModelBeans() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(EventyProperties.class)
			.hasSingleBean(RecordTypeRegistry.class)
			.hasSingleBean(Jackson3PayloadConverter.class)
			.hasSingleBean(BeanValidationPayloadValidator.class)
			.hasSingleBean(RecordFactory.class)
			.hasSingleBean(JsonRecordSerializer.class));
	}

	@Test
	void bindsTheDocumentedDefaultOfEveryProperty() {
		this.contextRunner.run((context) -> {
			EventyProperties properties = context.getBean(EventyProperties.class);
			assertThat(properties.getStore().getType()).isNull();
			assertThat(properties.getService().getName()).isNull();
			assertThat(properties.getService().getNamespace()).isNull();
			assertThat(properties.getHandlers().isEnabled()).isTrue();
			assertThat(properties.getHandlers().getBatchSize()).isEqualTo(100);
			assertThat(properties.getHandlers().getPollInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.getHandlers().getStartPosition()).isEqualTo(EventyProperties.StartPosition.EARLIEST);
			assertThat(properties.getHandlers().getRetry().getMaxAttempts()).isEqualTo(10);
			assertThat(properties.getHandlers().getRetry().getInitialInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.getHandlers().getRetry().getMultiplier()).isEqualTo(2.0);
			assertThat(properties.getHandlers().getRetry().getMaxInterval()).isEqualTo(Duration.ofMinutes(1));
			assertThat(properties.getPostgres().getSchema()).isEqualTo("public");
			assertThat(properties.getPostgres().getTablePrefix()).isEqualTo("eventy_");
			assertThat(properties.getPostgres().isInitializeSchema()).isTrue();
			assertThat(properties.getKafka().getEventsTopic()).isNull();
			assertThat(properties.getKafka().getRequestsTopic()).isNull();
			assertThat(properties.getKafka().getResponsesTopic()).isNull();
			assertThat(properties.getKafka().isCreateTopics()).isTrue();
			assertThat(properties.getKafka().getPartitions()).isEqualTo(3);
			assertThat(properties.getKafka().getReplicationFactor()).isNull();
			assertThat(properties.getKafka().getSubscribeTopics()).isEmpty();
			assertThat(properties.getKafka().getHealthTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.getWeb().isEnabled()).isTrue();
			assertThat(properties.getWeb().getRequestIdHeader()).isEqualTo("X-Request-Id");
			assertThat(properties.getWeb().getCorrelationIdHeader()).isEqualTo("X-Correlation-Id");
			assertThat(properties.getWeb().getFilterOrder()).isEqualTo(-104);
			assertThat(properties.getMdc().getTraceIdKey()).isEqualTo("traceId");
			assertThat(properties.getMdc().getRequestIdKey()).isEqualTo("requestId");
		});
	}

	@Test
	void namesTheServiceAndItsNamespaceAfterTheApplicationName() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(RecordFactory.class).source()).isEqualTo("urn:order-service");
			assertThat(context.getBean(RecordTypeRegistry.class).defaultNamespace()).isEqualTo("urn:order-service");
		});
	}

	@Test
	void definesTheResolvedServiceAsABean() {
		this.contextRunner.withPropertyValues("eventy.service.namespace=urn:shop")
			.run((context) -> assertThat(context).getBean(EventyService.class)
				.isEqualTo(new EventyService("order-service", "urn:shop")));
	}

	@Test
	void backsOffToTheApplicationsEventyServiceWhichNamesRecordsAndTheirNamespace() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, EventyAutoConfiguration.class))
			.withBean(EventyService.class, () -> new EventyService("billing", "urn:money"))
			.run((context) -> {
				assertThat(context.getBean(RecordFactory.class).source()).isEqualTo("urn:billing");
				assertThat(context.getBean(RecordTypeRegistry.class).defaultNamespace()).isEqualTo("urn:money");
			});
	}

	@Test
	void prefersTheEventyServiceNameToTheApplicationName() {
		this.contextRunner.withPropertyValues("eventy.service.name=billing").run((context) -> {
			assertThat(context.getBean(RecordFactory.class).source()).isEqualTo("urn:billing");
			assertThat(context.getBean(RecordTypeRegistry.class).defaultNamespace()).isEqualTo("urn:billing");
		});
	}

	@Test
	void usesTheConfiguredNamespaceForTypesThatDeclareNone() {
		this.contextRunner.withPropertyValues("eventy.service.namespace=urn:shop").run((context) -> {
			assertThat(context.getBean(RecordTypeRegistry.class).defaultNamespace()).isEqualTo("urn:shop");
			assertThat(context.getBean(RecordFactory.class).source()).isEqualTo("urn:order-service");
		});
	}

	@Test
	void failsAtStartupWithoutAServiceNameNamingBothProperties() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, EventyAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(EventyConfigurationException.class)
					.hasMessageContaining("'eventy.service.name'")
					.hasMessageContaining("'spring.application.name'");
			});
	}

	@Test
	void registersTheRecordTypesOfTheApplicationPackages() {
		this.contextRunner.withUserConfiguration(ScanConfiguration.class).run((context) -> {
			RecordTypeRegistry registry = context.getBean(RecordTypeRegistry.class);
			assertThat(registry.descriptors()).extracting(RecordTypeDescriptor::qualifiedName)
				.containsExactlyInAnyOrder("urn:shop:OrderPlaced", "urn:order-service:CustomerRegistered");
			assertThat(registry.find("urn:shop:OrderPlaced")).get()
				.extracting(RecordTypeDescriptor::payloadType)
				.isEqualTo(ScannedOrderPlaced.class);
			assertThat(registry.find("urn:order-service:CustomerRegistered")).get()
				.extracting(RecordTypeDescriptor::payloadType)
				.isEqualTo(ScannedCustomerRegistered.class);
			assertThat(registry.find("urn:order-service:" + NotARecordType.class.getSimpleName())).isEmpty();
		});
	}

	@Test
	void registersNothingWhenTheApplicationHasNoAutoConfigurationPackage() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(RecordTypeRegistry.class).descriptors()).isEmpty());
	}

	@Test
	void convertsPayloadsWithTheJackson3JsonMapperThatSpringJacksonPropertiesConfigure() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			PayloadConverter converter = context.getBean(PayloadConverter.class);
			assertThat(converter).isInstanceOf(Jackson3PayloadConverter.class);
			ObjectNode data = converter.toData(new ScannedOrderPlaced("42", 1200));
			assertThat(data.has("order_id")).isTrue();
			assertThat(data.get("amount_cents").asLong()).isEqualTo(1200);
			assertThat(converter.fromData(data, ScannedOrderPlaced.class))
				.isEqualTo(new ScannedOrderPlaced("42", 1200));
		});
	}

	@Test
	void convertsPayloadsWithTheApplicationsJackson2ObjectMapperWithoutJackson3() {
		ObjectMapper snakeCase = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.withBean(ObjectMapper.class, () -> snakeCase)
			.run((context) -> {
				PayloadConverter converter = context.getBean(PayloadConverter.class);
				assertThat(converter).isInstanceOf(JacksonPayloadConverter.class);
				assertThat(converter.toData(new ScannedOrderPlaced("42", 1200)).has("order_id")).isTrue();
			});
	}

	@Test
	void rejectsInvalidPayloadsWithBeanValidation() {
		this.contextRunner.run((context) -> {
			RecordFactory factory = context.getBean(RecordFactory.class);
			assertThatExceptionOfType(InvalidRecordException.class)
				.isThrownBy(() -> factory.create(new ScannedOrderPlaced(" ", -5), null))
				.satisfies((ex) -> assertThat(ex.violations()).hasSize(2))
				.withMessageContaining("orderId")
				.withMessageContaining("amountCents");
		});
	}

	@Test
	void doesNotValidateWhenNoValidatorBeanExists() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, EventyAutoConfiguration.class))
			.withPropertyValues("spring.application.name=order-service")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(BeanValidationPayloadValidator.class)
					.hasSingleBean(PayloadValidator.class);
				assertNoValidation(context.getBean(PayloadValidator.class));
			});
	}

	@Test
	void doesNotValidateWithoutBeanValidationOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("jakarta.validation.")).run((context) -> {
			assertThat(context).doesNotHaveBean(BeanValidationPayloadValidator.class)
				.hasSingleBean(PayloadValidator.class);
			assertNoValidation(context.getBean(PayloadValidator.class));
		});
	}

	@Test
	void backsOffToTheApplicationRecordTypeRegistry() {
		RecordTypeRegistry registry = new RecordTypeRegistry("urn:custom");
		this.contextRunner.withBean(RecordTypeRegistry.class, () -> registry).run((context) -> {
			assertThat(context).getBean(RecordTypeRegistry.class).isSameAs(registry);
			assertThat(context.getBean(RecordFactory.class).registry()).isSameAs(registry);
		});
	}

	@Test
	void backsOffToTheApplicationPayloadConverter() {
		PayloadConverter converter = new JacksonPayloadConverter(new ObjectMapper());
		this.contextRunner.withBean("customConverter", PayloadConverter.class, () -> converter).run((context) -> {
			assertThat(context).doesNotHaveBean("eventyPayloadConverter");
			assertThat(context.getBean(RecordFactory.class).converter()).isInstanceOf(UpcastingPayloadConverter.class)
				.extracting((reading) -> ((UpcastingPayloadConverter) reading).converter())
				.isSameAs(converter);
		});
	}

	@Test
	void backsOffToTheApplicationPayloadValidator() {
		PayloadValidator validator = (payload, descriptor) -> {
			throw new InvalidRecordException(descriptor.qualifiedName(), List.of("refused by the test"));
		};
		this.contextRunner.withBean(PayloadValidator.class, () -> validator).run((context) -> {
			assertThat(context).doesNotHaveBean(BeanValidationPayloadValidator.class);
			assertThat(context).getBean(PayloadValidator.class).isSameAs(validator);
			assertThatExceptionOfType(InvalidRecordException.class)
				.isThrownBy(() -> context.getBean(RecordFactory.class).create(new ScannedOrderPlaced("42", 1), null))
				.withMessageContaining("refused by the test");
		});
	}

	@Test
	void backsOffToTheApplicationRecordFactory() {
		this.contextRunner
			.withBean(RecordFactory.class,
					() -> new RecordFactory(new RecordTypeRegistry("urn:custom"),
							new JacksonPayloadConverter(new ObjectMapper()), PayloadValidator.none(), "urn:custom"))
			.run((context) -> assertThat(context).getBean(RecordFactory.class)
				.extracting(RecordFactory::source)
				.isEqualTo("urn:custom"));
	}

	@Test
	void backsOffToTheApplicationRecordSerializer() {
		RecordSerializer serializer = new RecordSerializer() {

			@Override
			public byte[] serialize(EventyRecord record) {
				return new byte[0];
			}

			@Override
			public EventyRecord deserialize(byte[] bytes) {
				throw new UnsupportedOperationException();
			}

		};
		this.contextRunner.withBean(RecordSerializer.class, () -> serializer).run((context) -> {
			assertThat(context).doesNotHaveBean(JsonRecordSerializer.class);
			assertThat(context).getBean(RecordSerializer.class).isSameAs(serializer);
		});
	}

	@Test
	void failsOnABatchSizeOfZeroNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventy.handlers.batch-size=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.isEqualTo("eventy.handlers.batch-size: must be between 1 and 10000");
		});
	}

	@Test
	void failsOnAnUnknownStoreTypeNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventy.store.type=mongo").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.boundProperty(context.getStartupFailure())).startsWith("eventy.store.type: ")
				.contains("mongo");
		});
	}

	@Test
	void failsOnANamespaceThatIsNotAUrnNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventy.service.namespace=shop").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.isEqualTo("eventy.service.namespace: must be a URN starting with 'urn:', such as 'urn:shop'");
		});
	}

	@Test
	void failsOnABlankServiceNameNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventy.service.name= ").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.isEqualTo("eventy.service.name: must be a non-blank name without surrounding spaces");
		});
	}

	@Test
	void failsOnAServiceNameWithADotNamingTheProperty() {
		this.contextRunner.withPropertyValues("spring.application.name=order.service").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(EventyConfigurationException.class)
				.hasMessageContaining("'eventy.service.name'")
				.hasMessageContaining("'order-service'");
		});
	}

	@Test
	void declaresTheOtherServicesOfEventyServicesWithThisOneInTheServiceRegistry() {
		this.contextRunner
			.withPropertyValues("eventy.service.namespace=urn:shop", "eventy.services.payment.namespace=urn:payment",
					"eventy.services.stock.namespace=urn:stock")
			.run((context) -> {
				ServiceRegistry services = context.getBean(ServiceRegistry.class);
				assertThat(services.self()).isEqualTo(new ServiceDefinition("order-service", "urn:shop"));
				assertThat(services.source()).isEqualTo("urn:order-service");
				assertThat(services.others()).containsExactly(new ServiceDefinition("payment", "urn:payment"),
						new ServiceDefinition("stock", "urn:stock"));
			});
	}

	@Test
	void failsOnADeclaredServiceWithoutANamespaceNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventy.services.payment.requests-topic=payment-requests")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(EventyConfigurationException.class)
					.hasMessageContaining("'eventy.services.payment.namespace'");
			});
	}

	@Test
	void failsOnTwoServicesOwningOneNamespace() {
		this.contextRunner.withPropertyValues("eventy.services.payment.namespace=urn:order-service").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(EventyConfigurationException.class)
				.hasMessageContaining("both own namespace 'urn:order-service'");
		});
	}

	@Test
	void failsOnADeclaredServiceNamespaceThatIsNotAUrnNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventy.services.payment.namespace=payment").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.startsWith("eventy.services.payment.namespace: must be a URN");
		});
	}

	private static void assertNoValidation(PayloadValidator validator) {
		RecordTypeDescriptor descriptor = RecordTypeDescriptor.of(ScannedOrderPlaced.class, "urn:order-service");
		assertThatNoException().isThrownBy(() -> validator.validate(new ScannedOrderPlaced(" ", -5), descriptor));
	}

}
