package com.answerline.ingest.config;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.CompositeKafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

import com.answerline.ingest.topology.IngestTopology;
import com.answerline.ingest.topology.StreamsInstance;
import com.answerline.platform.kafka.DeadLetters;
import com.answerline.platform.streams.ThreadReplacementPolicy;

/**
 * Wires ingest's one Kafka Streams app ({@link IngestTopology}: reply outcomes by command id, the reply-acceptances
 * and customer-identities global tables) into Spring's Kafka Streams lifecycle, started by {@link StreamsStarter}.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class OutcomeStreamsConfig {

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(IngestProperties properties, ServicesProperties services,
                                                        KafkaProperties kafka, DeadLetters deadLetters) {
        return new KafkaStreamsConfiguration(OutcomeStreamsSettings.streamsProperties(properties, services, kafka,
                deadLetters.recoverer()));
    }

    /**
     * Every {@link KafkaStreamsInfrastructureCustomizer} bean is a part of ingest's one Streams app (reply outcomes,
     * the identity directory, ...): each adds its nodes to the shared builder in {@code configureBuilder}, which
     * Spring calls when it starts the app, right before it builds the topology. Adding to the builder from any
     * other bean would depend on bean order, and a part added after a {@code builder.build()} would be missing.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer topologyParts(List<KafkaStreamsInfrastructureCustomizer> parts,
                                                      StreamsInstance instance) {
        return factoryBean -> {
            factoryBean.setKafkaStreamsCustomizer(instance::set);
            factoryBean.setInfrastructureCustomizer(new CompositeKafkaStreamsInfrastructureCustomizer(
                    parts.toArray(KafkaStreamsInfrastructureCustomizer[]::new)));
            // Started by StreamsStarter, off Spring's start-up (also spring.kafka.streams.auto-startup=false).
            factoryBean.setAutoStartup(false);
            // A stream thread that dies (e.g. a rebalance with incomplete metadata after a broker restart) is
            // replaced a bounded number of times instead of stopping the app, identity directory included.
            factoryBean.setStreamsUncaughtExceptionHandler(ThreadReplacementPolicy.standard());
        };
    }

    @Bean
    StreamsInstance streamsInstance() {
        return new StreamsInstance();
    }

    @Bean
    StreamsStarter streamsStarter(StreamsBuilderFactoryBean factoryBean, StreamsInstance instance) {
        return new StreamsStarter(factoryBean, instance);
    }

    @Bean
    KafkaStreamsInfrastructureCustomizer ingestTopology(KafkaProperties kafka) {
        Map<String, Object> serdeConfig = OutcomeStreamsSettings.serdeConfig(kafka);
        return topologyPart(builder -> IngestTopology.addTo(builder, serdeConfig));
    }

    /** A part of the Streams app: {@code addTo} adds its nodes to the shared builder. */
    static KafkaStreamsInfrastructureCustomizer topologyPart(Consumer<StreamsBuilder> addTo) {
        return new KafkaStreamsInfrastructureCustomizer() {
            @Override
            public void configureBuilder(StreamsBuilder builder) {
                addTo.accept(builder);
            }
        };
    }

    /**
     * Publishes undecodable records (and records that make a processor throw) to their topic's dead-letter twin. Not a
     * KafkaTemplate bean: such a bean would make Boot back off from the Avro template the webhooks publish with.
     */
    @Bean
    DeadLetters deadLetters(KafkaProperties kafka) {
        return new DeadLetters(kafka);
    }
}
