package io.eventy.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.eventy.record.BeanValidationPayloadValidator;
import io.eventy.record.Jackson3PayloadConverter;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.record.RecordTypeScanner;
import io.eventy.record.RecordUpcaster;
import io.eventy.serializer.JsonRecordSerializer;
import io.eventy.serializer.RecordSerializer;
import io.eventy.service.ServiceDefinition;
import io.eventy.service.ServiceRegistry;
import jakarta.validation.Validator;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Eventy's record model: the {@link RecordTypeRegistry} (filled
 * with the {@code @RecordType} classes of the application's packages), payload conversion
 * with the application's Jackson 3 {@code JsonMapper} (the one {@code spring.jackson.*}
 * configures) when it has one, else with its Jackson 2 {@link ObjectMapper}, payload
 * validation with Bean Validation when it is available, the {@link RecordFactory} and the
 * {@link RecordSerializer}.
 * <p>
 * The {@link EventyService} bean names the service: {@code eventy.service.name}, else
 * {@code spring.application.name}; startup fails when neither is set. The
 * {@link ServiceRegistry} adds the other services it talks to,
 * {@code eventy.services.<name>.namespace}, which route requests and responses.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration",
		"org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration" })
@EnableConfigurationProperties(EventyProperties.class)
public final class EventyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventyService eventyService(EventyProperties properties, Environment environment) {
		return EventyService.resolve(properties, environment);
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceRegistry eventyServiceRegistry(EventyService service, EventyProperties properties) {
		List<ServiceDefinition> others = new ArrayList<>();
		properties.getServices().forEach((name, other) -> {
			String property = ServiceRegistry.SERVICES_PROPERTY + "." + name + ".namespace";
			if (other.getNamespace() == null) {
				throw new EventyConfigurationException(
						"Service '" + name + "' is declared without the namespace it owns.",
						"Set '" + property + "' to the namespace of its record types, such as 'urn:" + name + "'.");
			}
			try {
				others.add(new ServiceDefinition(name, other.getNamespace()));
			}
			catch (IllegalArgumentException ex) {
				throw new EventyConfigurationException(ex.getMessage(), "Fix '" + property + "'.");
			}
		});
		try {
			return new ServiceRegistry(new ServiceDefinition(service.name(), service.namespace()), service.source(),
					others);
		}
		catch (IllegalArgumentException ex) {
			throw new EventyConfigurationException(
					ex.getMessage() + " (this service is '" + service.name() + "', namespace '" + service.namespace()
							+ "')",
					"Fix the '" + ServiceRegistry.SERVICES_PROPERTY
							+ ".*' properties: each other service has its own name and namespace.");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	RecordTypeRegistry recordTypeRegistry(EventyService service, BeanFactory beanFactory) {
		RecordTypeRegistry registry = new RecordTypeRegistry(service.namespace());
		if (AutoConfigurationPackages.has(beanFactory)) {
			List<String> packages = AutoConfigurationPackages.get(beanFactory);
			ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
					? configurable.getBeanClassLoader() : null;
			RecordTypeScanner.scan(packages, classLoader).forEach(registry::register);
		}
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean(PayloadConverter.class)
	JacksonPayloadConverter eventyPayloadConverter(ObjectProvider<ObjectMapper> objectMapper) {
		return new JacksonPayloadConverter(objectMapper.getIfAvailable(EventyAutoConfiguration::defaultObjectMapper));
	}

	@Bean
	@ConditionalOnMissingBean(PayloadValidator.class)
	PayloadValidator noPayloadValidator() {
		return PayloadValidator.none();
	}

	@Bean
	@ConditionalOnMissingBean
	RecordFactory recordFactory(RecordTypeRegistry registry, PayloadConverter converter, PayloadValidator validator,
			EventyService service, ObjectProvider<RecordUpcaster> upcasters) {
		return new RecordFactory(registry, converter, validator, service.source(), upcasters.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean(RecordSerializer.class)
	JsonRecordSerializer recordSerializer(ObjectProvider<ObjectMapper> objectMapper) {
		return new JsonRecordSerializer(objectMapper.getIfAvailable(EventyAutoConfiguration::defaultObjectMapper));
	}

	private static ObjectMapper defaultObjectMapper() {
		return JsonMapper.builder().findAndAddModules().build();
	}

	/**
	 * Payloads with the application's Jackson 3 {@code JsonMapper}, the one Spring Boot 4
	 * configures from {@code spring.jackson.*}. Registered before the Jackson 2 converter
	 * of the enclosing class, which backs off.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(tools.jackson.databind.json.JsonMapper.class)
	static class Jackson3PayloadConverterConfiguration {

		@Bean
		@ConditionalOnMissingBean(PayloadConverter.class)
		@ConditionalOnSingleCandidate(tools.jackson.databind.json.JsonMapper.class)
		Jackson3PayloadConverter eventyPayloadConverter(tools.jackson.databind.json.JsonMapper jsonMapper) {
			return new Jackson3PayloadConverter(jsonMapper);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Validator.class)
	static class BeanValidationConfiguration {

		@Bean
		@ConditionalOnMissingBean(PayloadValidator.class)
		@ConditionalOnSingleCandidate(Validator.class)
		BeanValidationPayloadValidator beanValidationPayloadValidator(Validator validator) {
			return new BeanValidationPayloadValidator(validator);
		}

	}

}
