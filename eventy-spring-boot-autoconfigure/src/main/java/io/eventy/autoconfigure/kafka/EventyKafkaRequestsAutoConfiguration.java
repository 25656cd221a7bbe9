package io.eventy.autoconfigure.kafka;

import java.time.Duration;

import io.eventy.autoconfigure.request.EventyRequestsAutoConfiguration;
import io.eventy.request.DefaultRequestClient;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaResponseListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Auto-configuration of the {@link KafkaResponseListener} that hands the
 * {@link DefaultRequestClient} the responses to this service's requests, read from the
 * responses topics of the services requests go to.
 */
@AutoConfiguration(after = EventyRequestsAutoConfiguration.class)
@ConditionalOnClass({ ConsumerFactory.class, KafkaProperties.class })
@ConditionalOnBean({ KafkaEventStore.class, DefaultRequestClient.class })
public final class EventyKafkaRequestsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KafkaResponseListener eventyKafkaResponseListener(KafkaEventStore store, DefaultRequestClient client,
			ObjectProvider<ConsumerFactory<?, ?>> consumerFactory, KafkaProperties kafkaProperties,
			KafkaConnectionDetails connectionDetails) {
		return new KafkaResponseListener(
				KafkaClientProperties.consumer(consumerFactory, kafkaProperties, connectionDetails), store, client,
				Duration.ofMillis(200));
	}

}
