package com.answerline.ingest.config;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.platform.streams.BoundedRocksDbMemory;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * The Streams and serde configuration of the reply-outcomes app: one function, used by the application and
 * by the topology test, so the test runs the production configuration.
 */
public final class OutcomeStreamsSettings {

    private static final Logger log = LoggerFactory.getLogger(OutcomeStreamsSettings.class);

    private OutcomeStreamsSettings() {
    }

    /** The serdes read with the registry settings the producer writes with ({@code spring.kafka.producer.properties}). */
    public static Map<String, Object> serdeConfig(Map<String, String> producerProperties) {
        Map<String, Object> config = new HashMap<>();
        for (String name : new String[] {AvroSerdeConfig.SCHEMA_REGISTRY_URL, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS}) {
            if (producerProperties.containsKey(name)) {
                config.put(name, producerProperties.get(name));
            }
        }
        return config;
    }

    /**
     * @param deadLetters receives records (dispatch-outcomes, reply-acceptances, customer-identities) whose bytes do
     *                    not deserialize; the app carries on
     */
    public static Map<String, Object> streamsProperties(IngestProperties properties, String bootstrapServers,
                                                        Map<String, Object> serdeConfig,
                                                        ConsumerRecordRecoverer deadLetters) {
        Map<String, Object> config = new HashMap<>(serdeConfig);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.streams().applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // At least once is enough: the store's merge rule keeps a final outcome, so a replay changes nothing.
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.dataDir().resolve("state").toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.streams().commitInterval().toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.kafka().replicationFactor());
        // Poison bytes go to the topic's -dlt twin (cause in kafka_dlt-* headers); the stores carry on.
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RecoveringDeserializationExceptionHandler.class);
        config.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER, deadLetters);
        // One native-memory budget for all the stores: by default each store partition takes its own cache and memtables.
        return BoundedRocksDbMemory.configure(config);
    }

    /**
     * {@link #streamsProperties(IngestProperties, String, Map, ConsumerRecordRecoverer)} plus {@code application.server}:
     * the host:port this instance serves the gateway on, which Streams shares with the other instances so that
     * each can tell which one owns a command's partition of the outcome store (and forward the read there).
     */
    public static Map<String, Object> streamsProperties(IngestProperties properties, ServicesProperties services,
                                                        String bootstrapServers, Map<String, Object> serdeConfig,
                                                        ConsumerRecordRecoverer deadLetters) {
        Map<String, Object> config = streamsProperties(properties, bootstrapServers, serdeConfig, deadLetters);
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, services.applicationServer());
        return config;
    }

    /**
     * Publishes a poison record's raw bytes, unchanged, to its topic's dead-letter twin ({@code dispatch-outcomes-dlt},
     * {@code reply-acceptances-dlt}, {@code customer-identities-dlt}), same partition. The send is outside any
     * transaction: a crash right after it may dead-letter the same record twice.
     */
    public static ConsumerRecordRecoverer deadLetters(KafkaOperations<byte[], byte[]> template) {
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(deadLetterOf(record.topic()), record.partition()));
        return (record, exception) -> {
            // Where and why only: the bytes may hold a customer's message text.
            log.warn("Unreadable record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                    deadLetterOf(record.topic()), exception.toString());
            publisher.accept(record, exception);
        };
    }

    /** The dead-letter twin of a topic the app reads (dispatch-outcomes, customer-identities). */
    static String deadLetterOf(String topic) {
        return Topics.ALL.stream().filter(t -> t.name().equals(topic)).findFirst()
                .map(Topic::deadLetter).orElse(topic + "-dlt");
    }
}
