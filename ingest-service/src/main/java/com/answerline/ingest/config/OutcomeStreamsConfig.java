package com.answerline.ingest.config;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

import com.answerline.ingest.topology.ReplyOutcomeTopology;

/** Wires the reply-outcomes topology into Spring's Kafka Streams lifecycle (started and stopped with the app). */
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

    @Bean
    Topology replyOutcomeTopology(StreamsBuilder builder, KafkaProperties kafka) {
        return ReplyOutcomeTopology.build(builder, OutcomeStreamsSettings.serdeConfig(kafka.getProducer().getProperties()));
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
