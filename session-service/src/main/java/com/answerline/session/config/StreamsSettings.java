package com.answerline.session.config;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

import com.answerline.platform.kafka.KafkaClients;
import com.answerline.platform.streams.BoundedRocksDbMemory;
import com.answerline.platform.streams.DeadLetteringProcessingExceptionHandler;

/**
 * The Kafka Streams and serde configuration derived from {@link SessionServiceProperties}: one function,
 * used by the application and by the topology tests, so tests run the production configuration.
 */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    /** Settings of the Avro serdes, under Confluent's names: {@code spring.kafka.properties}. */
    public static Map<String, Object> serdeConfig(KafkaProperties kafka) {
        return KafkaClients.serde(kafka);
    }

    /**
     * The Streams configuration.
     *
     * @param deadLetters receives records whose bytes do not deserialize; processing then continues
     */
    public static Map<String, Object> streamsProperties(SessionServiceProperties properties, KafkaProperties kafka,
                                                        ConsumerRecordRecoverer deadLetters) {
        return streamsProperties(properties, SessionRecoveryProperties.DEFAULTS, kafka, deadLetters);
    }

    /**
     * The Streams configuration with the crash-detection settings.
     *
     * @param recovery    how soon the group gives up on an instance that died without leaving
     * @param deadLetters receives records whose bytes do not deserialize or that make a processor throw; processing
     *                    then continues
     */
    public static Map<String, Object> streamsProperties(SessionServiceProperties properties,
                                                        SessionRecoveryProperties recovery, KafkaProperties kafka,
                                                        ConsumerRecordRecoverer deadLetters) {
        SessionServiceProperties.Streams streams = properties.streams();
        // spring.kafka.*: servers, TLS, SASL, registry settings, as for every client of every service.
        Map<String, Object> config = KafkaClients.streams(kafka);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, streams.applicationId());
        // Read-process-write in one transaction: a crash never loses or double-applies an event.
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.dataDir().resolve("state").toString());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, streams.numStandbyReplicas());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streams.numStreamThreads());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streams.commitInterval().toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.kafka().replicationFactor());
        // A member killed -9 never leaves the group: it is dropped after the session timeout. Heartbeats stay at
        // Kafka's 3 s, or a third of a shorter timeout, so a live member is never dropped between two.
        long sessionTimeoutMs = recovery.sessionTimeout().toMillis();
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeoutMs);
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) Math.min(3_000, sessionTimeoutMs / 3));
        if (streams.applicationServer() != null && !streams.applicationServer().isBlank()) {
            config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, streams.applicationServer());
        }
        // Poison bytes go to the topic's dead-letter twin (cause in headers) and the fold carries on.
        // Kafka 4.1 has no built-in Streams DLQ yet (errors.dead.letter.queue.topic.name arrives in 4.2).
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RecoveringDeserializationExceptionHandler.class);
        config.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER, deadLetters);
        // A well-formed record that makes a processor throw goes the same way, with the cause in headers.
        DeadLetteringProcessingExceptionHandler.configure(config, deadLetters);
        // One native-memory budget for all the stores: by default each store partition takes its own cache and memtables.
        return BoundedRocksDbMemory.configure(config);
    }
}
