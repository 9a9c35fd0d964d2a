package com.answerline.ingest.config;

import java.util.Map;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

import com.answerline.ingest.topology.IngestTopology;
import com.answerline.ingest.topology.ReplyOutcomeTopology;
import com.answerline.platform.kafka.KafkaClients;
import com.answerline.platform.streams.StreamsApp;
import com.answerline.platform.streams.StreamsHealthIndicator;
import com.answerline.platform.streams.StreamsInstance;
import com.answerline.platform.streams.StreamsPlatformConfiguration;

/**
 * Ingest's one Kafka Streams app ({@link IngestTopology}: reply outcomes by command id, the reply-acceptances and
 * customer-identities global tables) as the platform's Streams app ({@link StreamsPlatformConfiguration}), started by
 * {@link StreamsStarter} instead of Spring's start-up.
 */
@Configuration(proxyBeanMethods = false)
@Import(StreamsPlatformConfiguration.class)
class OutcomeStreamsConfig {

    @Bean
    StreamsApp streamsApp(IngestProperties properties, ServicesProperties services) {
        return properties.streamsApp(services);
    }

    /** Started by StreamsStarter, off Spring's start-up (also spring.kafka.streams.auto-startup=false). */
    @Bean
    StreamsBuilderFactoryBeanConfigurer startedByStreamsStarter() {
        return factoryBean -> factoryBean.setAutoStartup(false);
    }

    @Bean
    StreamsStarter streamsStarter(StreamsBuilderFactoryBean factoryBean, StreamsInstance instance) {
        return new StreamsStarter(factoryBean, instance);
    }

    /** The whole topology, added to Spring's builder when the app starts. */
    @Bean
    KafkaStreamsInfrastructureCustomizer ingestTopology(KafkaProperties kafka) {
        Map<String, Object> serdeConfig = KafkaClients.serde(kafka);
        return StreamsPlatformConfiguration.topologyPart(builder -> IngestTopology.addTo(builder, serdeConfig));
    }

    /**
     * {@code /actuator/health/outcomeStreams} (the platform's one policy): GET /api/v1/replies and replies with an
     * idempotency key answer 503 while it is not UP; not in the readiness group, where the same app's identity
     * directory ({@code identityDirectory}) decides for the webhooks.
     */
    @Bean
    HealthIndicator outcomeStreams(StreamsInstance instance) {
        return new StreamsHealthIndicator(instance, Map.of("store", ReplyOutcomeTopology.STORE));
    }
}
