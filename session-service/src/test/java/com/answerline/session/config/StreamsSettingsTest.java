package com.answerline.session.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

class StreamsSettingsTest {

    private final SessionServiceProperties properties = new SessionServiceProperties(Path.of("/var/lib/answerline"),
            new SessionServiceProperties.Kafka((short) 3, true),
            new SessionServiceProperties.Streams("session-service", 2, 1, Duration.ofMillis(100), "10.0.0.7:8082"),
            new SessionServiceProperties.Dedup(Duration.ofDays(7)),
            new SessionServiceProperties.Timers(Duration.ofHours(1), Duration.ofSeconds(1)),
            new SessionServiceProperties.Routing(Duration.ofSeconds(1), Duration.ofSeconds(5)));

    /** spring.kafka.* as an operator of a secured, managed cluster sets it. */
    private static KafkaProperties kafka() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(java.util.List.of("broker-1.example:9096"));
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getSsl().setTrustStoreLocation(new org.springframework.core.io.FileSystemResource("/etc/kafka/ca.p12"));
        kafka.getSsl().setTrustStorePassword("changeit");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.getProperties().put("client.rack", "eu-west-1a");
        kafka.getProperties().put("schema.registry.url", "http://127.0.0.1:8085/apis/ccompat/v7");
        kafka.getProperties().put("auto.register.schemas", "false");
        return kafka;
    }

    @Test
    void shouldGiveTheStreamsAppAndItsClientsTheSecuritySettingsOfSpringKafka() {
        Map<String, Object> config = StreamsSettings.streamsProperties(properties, kafka(), (record, exception) -> { });

        assertThat(config)
                .containsEntry("bootstrap.servers", java.util.List.of("broker-1.example:9096"))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("client.rack", "eu-west-1a")
                .containsKey("ssl.truststore.location");
        assertThat(new StreamsConfig(config).getMainConsumerConfigs("g", "c", 0)).containsEntry("security.protocol", "SASL_SSL");
        assertThat(new StreamsConfig(config).getProducerConfigs("c")).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void shouldRunExactlyOnceWithStateUnderTheDataDirAndTheConfiguredStandbys() {
        // When the Streams configuration is derived from the properties
        ConsumerRecordRecoverer recoverer = (record, exception) -> { };
        Map<String, Object> config = StreamsSettings.streamsProperties(properties, kafka(), recoverer);

        // Then it is exactly-once, keeps state in the data dir, and honours standbys and replication
        assertThat(config)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "session-service")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, Path.of("/var/lib/answerline/state").toString())
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 2)
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3)
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "10.0.0.7:8082")
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        RecoveringDeserializationExceptionHandler.class)
                .containsEntry(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER, recoverer)
                .containsEntry("schema.registry.url", "http://127.0.0.1:8085/apis/ccompat/v7")
                .containsEntry("auto.register.schemas", "false");
        // And it is a configuration Kafka Streams accepts
        assertThat(new StreamsConfig(config).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo("exactly_once_v2");
    }
}
