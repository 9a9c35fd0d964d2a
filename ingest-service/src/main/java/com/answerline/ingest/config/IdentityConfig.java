package com.answerline.ingest.config;

import java.util.Map;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;

import com.answerline.ingest.identity.CustomerIdentities;

/** The customer identity directory's part of ingest's Streams app: the global table behind IdentityDirectory. */
@Configuration(proxyBeanMethods = false)
class IdentityConfig {

    @Bean
    KafkaStreamsInfrastructureCustomizer customerIdentitiesTable(KafkaProperties kafka) {
        Map<String, Object> serdeConfig = OutcomeStreamsSettings.serdeConfig(kafka.getProducer().getProperties());
        return OutcomeStreamsConfig.topologyPart(builder -> CustomerIdentities.addTo(builder, serdeConfig));
    }
}
