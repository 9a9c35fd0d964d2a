package com.answerline.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.io.FileSystemResource;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

class StreamsAppTest {

    private final ConsumerRecordRecoverer recoverer = (record, exception) -> { };

    /** spring.kafka.* as an operator of a secured, managed cluster sets it. */
    private static KafkaProperties securedKafka() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("broker-1.example:9096"));
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getSsl().setTrustStoreLocation(new FileSystemResource("/etc/kafka/ca.p12"));
        kafka.getSsl().setTrustStorePassword("changeit");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.getProperties().put("client.rack", "eu-west-1a");
        kafka.getProperties().put("num.standby.replicas", "1");
        return kafka;
    }

    @Test
    void shouldGiveTheStreamsAppAndItsClientsTheSecuritySettingsOfSpringKafka() {
        Map<String, Object> config = StreamsApp.of("app", StreamsApp.Guarantee.EXACTLY_ONCE_V2, Path.of("/tmp/state"))
                .properties(securedKafka(), recoverer);

        assertThat(config)
                .containsEntry("bootstrap.servers", List.of("broker-1.example:9096"))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("client.rack", "eu-west-1a")
                .containsKey("ssl.truststore.location");
        assertThat(new StreamsConfig(config).getMainConsumerConfigs("g", "c", 0)).containsEntry("security.protocol", "SASL_SSL");
        assertThat(new StreamsConfig(config).getProducerConfigs("c")).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void shouldGiveEveryAppTheDeadLetterHandlersAndTheMemoryBudget() {
        // Given an app with nothing but its identity (as dispatch's), and one with everything set (as session's)
        for (StreamsApp app : List.of(
                StreamsApp.of("minimal", StreamsApp.Guarantee.AT_LEAST_ONCE, Path.of("/tmp/state")),
                StreamsApp.of("full", StreamsApp.Guarantee.EXACTLY_ONCE_V2, Path.of("/tmp/state"))
                        .withReplicationFactor(3).withCommitInterval(Duration.ofMillis(100)).withInstances(1, 2)
                        .withApplicationServer("10.0.0.7:8082").with(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L))) {
            // When it becomes a Streams configuration
            Map<String, Object> config = app.properties(new KafkaProperties(), recoverer);

            // Then undecodable records and processing errors go to the dead letters, and RocksDB is bounded
            assertThat(config).as(app.applicationId())
                    .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                            RecoveringDeserializationExceptionHandler.class)
                    .containsEntry(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER, recoverer)
                    .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                            DeadLetteringProcessingExceptionHandler.class)
                    .containsEntry(DeadLetteringProcessingExceptionHandler.RECOVERER, recoverer)
                    .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
            assertThat(new StreamsConfig(config).getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo(app.applicationId());
        }
    }

    @Test
    void shouldSetOnlyTheParametersGivenAndLeaveTheRestToSpringKafka() {
        Map<String, Object> minimal = StreamsApp.of("dispatch", StreamsApp.Guarantee.EXACTLY_ONCE_V2, Path.of("/s"))
                .properties(securedKafka(), recoverer);
        Map<String, Object> full = StreamsApp.of("session", StreamsApp.Guarantee.EXACTLY_ONCE_V2, Path.of("/s"))
                .withReplicationFactor(3).withCommitInterval(Duration.ofMillis(100)).withInstances(2, 4)
                .withApplicationServer("10.0.0.7:8082").with(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L)
                .properties(securedKafka(), recoverer);

        assertThat(minimal)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1")
                .doesNotContainKeys(StreamsConfig.REPLICATION_FACTOR_CONFIG, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                        StreamsConfig.APPLICATION_SERVER_CONFIG, StreamsConfig.NUM_STREAM_THREADS_CONFIG);
        assertThat(full)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, Path.of("/s").toString())
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100L)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 2)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 4)
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "10.0.0.7:8082")
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
    }
}
