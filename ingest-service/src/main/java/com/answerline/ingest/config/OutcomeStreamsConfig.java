package com.answerline.ingest.config;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

import com.answerline.ingest.topology.IngestTopology;

/**
 * Wires ingest's Kafka Streams app (reply outcomes by command id, reply acceptances as a global table) into
 * Spring's Kafka Streams lifecycle (started and stopped with the app).
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class OutcomeStreamsConfig {

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(IngestProperties properties, ServicesProperties services,
                                                        KafkaProperties kafka, OutcomeDeadLetters deadLetters) {
        return new KafkaStreamsConfiguration(OutcomeStreamsSettings.streamsProperties(properties, services,
                String.join(",", kafka.getBootstrapServers()),
                OutcomeStreamsSettings.serdeConfig(kafka.getProducer().getProperties()), deadLetters.recoverer()));
    }

    /**
     * Adds ingest's topology ({@link IngestTopology}: reply outcomes and the reply-acceptances global table) to
     * the builder as the factory bean creates it; the factory bean builds it once all beans exist and starts it.
     * Nothing here calls {@code build()}: a topology built early would be a snapshot that later additions miss.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer ingestTopology(KafkaProperties kafka) {
        Map<String, Object> serdeConfig = OutcomeStreamsSettings.serdeConfig(kafka.getProducer().getProperties());
        return factoryBean -> factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
            @Override
            public void configureBuilder(StreamsBuilder builder) {
                IngestTopology.addTo(builder, serdeConfig);
            }
        });
    }

    @Bean
    OutcomeDeadLetters outcomeDeadLetters(KafkaProperties kafka) {
        return new OutcomeDeadLetters(String.join(",", kafka.getBootstrapServers()));
    }

    /**
     * A byte[] producer for dead letters, owned here rather than declared as a KafkaTemplate bean: such a bean
     * would make Boot back off from the Avro template the webhooks publish with.
     */
    static final class OutcomeDeadLetters implements DisposableBean {

        private final DefaultKafkaProducerFactory<byte[], byte[]> producers;
        private final ConsumerRecordRecoverer recoverer;

        OutcomeDeadLetters(String bootstrapServers) {
            producers = new DefaultKafkaProducerFactory<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all"),
                    new ByteArraySerializer(), new ByteArraySerializer());
            recoverer = OutcomeStreamsSettings.deadLetters(new KafkaTemplate<>(producers));
        }

        ConsumerRecordRecoverer recoverer() {
            return recoverer;
        }

        @Override
        public void destroy() {
            producers.destroy();
        }
    }
}
