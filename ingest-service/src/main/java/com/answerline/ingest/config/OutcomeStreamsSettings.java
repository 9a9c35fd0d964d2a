package com.answerline.ingest.config;

import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

import com.answerline.platform.kafka.KafkaClients;
import com.answerline.platform.streams.BoundedRocksDbMemory;
import com.answerline.platform.streams.DeadLetteringProcessingExceptionHandler;

/**
 * The Streams and serde configuration of the reply-outcomes app: one function, used by the application and
 * by the topology test, so the test runs the production configuration.
 */
public final class OutcomeStreamsSettings {

    private OutcomeStreamsSettings() {
    }

    /** The serdes' registry settings: {@code spring.kafka.properties}, what every client of the service uses. */
    public static Map<String, Object> serdeConfig(KafkaProperties kafka) {
        return KafkaClients.serde(kafka);
    }

    /**
     * @param deadLetters receives records (dispatch-outcomes, reply-acceptances, customer-identities) whose bytes do
     *                    not deserialize; the app carries on
     */
    public static Map<String, Object> streamsProperties(IngestProperties properties, KafkaProperties kafka,
                                                        ConsumerRecordRecoverer deadLetters) {
        // spring.kafka.*: servers, TLS, SASL, registry settings, as for every client of every service.
        Map<String, Object> config = KafkaClients.streams(kafka);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.streams().applicationId());
        // At least once is enough: the store's merge rule keeps a final outcome, so a replay changes nothing.
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.dataDir().resolve("state").toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.streams().commitInterval().toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.kafka().replicationFactor());
        // Poison bytes go to the topic's -dlt twin (cause in kafka_dlt-* headers); the stores carry on.
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RecoveringDeserializationExceptionHandler.class);
        config.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER, deadLetters);
        // A well-formed record that makes a processor throw goes the same way, with the cause in headers.
        DeadLetteringProcessingExceptionHandler.configure(config, deadLetters);
        // One native-memory budget for all the stores: by default each store partition takes its own cache and memtables.
        return BoundedRocksDbMemory.configure(config);
    }

    /**
     * {@link #streamsProperties(IngestProperties, KafkaProperties, ConsumerRecordRecoverer)} plus {@code application.server}:
     * the host:port this instance serves the gateway on, which Streams shares with the other instances so that
     * each can tell which one owns a command's partition of the outcome store (and forward the read there).
     */
    public static Map<String, Object> streamsProperties(IngestProperties properties, ServicesProperties services,
                                                        KafkaProperties kafka, ConsumerRecordRecoverer deadLetters) {
        Map<String, Object> config = streamsProperties(properties, kafka, deadLetters);
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, services.applicationServer());
        return config;
    }
}
