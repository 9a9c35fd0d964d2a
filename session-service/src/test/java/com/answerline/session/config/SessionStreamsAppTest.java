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

import com.answerline.platform.routing.PeerTransport;
import com.answerline.platform.streams.DeadLetteringProcessingExceptionHandler;

/** The fold's Streams app as the platform turns it into the Streams configuration. */
class SessionStreamsAppTest {

    private final SessionServiceProperties properties = new SessionServiceProperties(Path.of("/var/lib/answerline"),
            new SessionServiceProperties.Kafka((short) 3, true),
            new SessionServiceProperties.Streams("session-service", 2, 1, Duration.ofMillis(100), "10.0.0.7:8082"),
            new SessionServiceProperties.Dedup(Duration.ofDays(7)),
            new SessionServiceProperties.Timers(Duration.ofHours(1), Duration.ofSeconds(1)),
            new SessionServiceProperties.Routing(Duration.ofSeconds(1), Duration.ofSeconds(5),
                    new PeerTransport("http", null)),
            null);

    /** The registry settings of spring.kafka.properties, which the serdes share with the Streams app. */
    private static KafkaProperties kafka() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getProperties().put("schema.registry.url", "http://127.0.0.1:8085/apis/ccompat/v7");
        kafka.getProperties().put("auto.register.schemas", "false");
        return kafka;
    }

    @Test
    void shouldRunExactlyOnceWithStateUnderTheDataDirAndTheConfiguredStandbys() {
        // When the Streams configuration is derived from the properties
        ConsumerRecordRecoverer recoverer = (record, exception) -> { };
        Map<String, Object> config = properties.streamsApp().properties(kafka(), recoverer);

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
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetteringProcessingExceptionHandler.class)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100L)
                .containsEntry("schema.registry.url", "http://127.0.0.1:8085/apis/ccompat/v7")
                .containsEntry("auto.register.schemas", "false");
        // And it is a configuration Kafka Streams accepts
        assertThat(new StreamsConfig(config).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo("exactly_once_v2");
    }
}
