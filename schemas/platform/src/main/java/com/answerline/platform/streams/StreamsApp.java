package com.answerline.platform.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

import com.answerline.platform.kafka.KafkaClients;

/**
 * A service's Kafka Streams app: what makes it that app (the parameters), and the one rule that turns it into the
 * Streams configuration ({@link #properties}), which the application runs and the topology tests feed to
 * {@code TopologyTestDriver}, so a test runs the production configuration. The rule, in order:
 * <ol>
 *   <li>{@code spring.kafka.*} ({@link KafkaClients#streams}): servers, TLS, SASL, registry settings,
 *       {@code spring.kafka.streams.*} and {@code spring.kafka.properties} (e.g. {@code num.standby.replicas});</li>
 *   <li>the app's parameters; a null parameter leaves what step 1 gave, else Kafka's default;</li>
 *   <li>records whose bytes do not deserialize and records that make a processor throw go to the dead-letter
 *       recoverer (the topic's {@code -dlt} twin, cause in headers) and processing goes on: Spring Kafka's
 *       {@link RecoveringDeserializationExceptionHandler} and {@link DeadLetteringProcessingExceptionHandler} (Kafka
 *       4.1 has no built-in Streams dead-letter queue; {@code errors.dead.letter.queue.topic.name} arrives in 4.2);</li>
 *   <li>one native-memory budget for every RocksDB store ({@link BoundedRocksDbMemory}).</li>
 * </ol>
 *
 * @param applicationId     consumer group and prefix of the internal topics
 * @param guarantee         processing guarantee
 * @param stateDir          where the stores live
 * @param replicationFactor of the internal topics (changelogs, repartition); null for the broker's default
 * @param commitInterval    how often offsets (and, exactly once, transactions) commit; null for Kafka's default
 * @param standbyReplicas   warm copies of each store on other instances; null for what {@code spring.kafka.*} says
 * @param streamThreads     stream threads of this instance; null for what {@code spring.kafka.*} says
 * @param applicationServer host:port other instances reach this one at for interactive queries; null or blank for none
 * @param serviceSettings   further Streams settings of this app only (e.g. consumer timeouts), applied last
 */
public record StreamsApp(String applicationId, Guarantee guarantee, Path stateDir, Integer replicationFactor,
                         Duration commitInterval, Integer standbyReplicas, Integer streamThreads,
                         String applicationServer, Map<String, Object> serviceSettings) {

    /** Kafka Streams' processing guarantees. */
    public enum Guarantee {
        /** Read, process and write in one transaction: a crash never loses or double-applies a record. */
        EXACTLY_ONCE_V2(StreamsConfig.EXACTLY_ONCE_V2),
        /** A crash may replay records since the last commit: for state whose update is idempotent. */
        AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE);

        private final String value;

        Guarantee(String value) {
            this.value = value;
        }
    }

    public StreamsApp {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(guarantee, "guarantee");
        Objects.requireNonNull(stateDir, "stateDir");
        serviceSettings = Map.copyOf(serviceSettings);
    }

    /** An app with only its identity, guarantee and state directory; the rest as {@code spring.kafka.*} or Kafka say. */
    public static StreamsApp of(String applicationId, Guarantee guarantee, Path stateDir) {
        return new StreamsApp(applicationId, guarantee, stateDir, null, null, null, null, null, Map.of());
    }

    public StreamsApp withReplicationFactor(int factor) {
        return new StreamsApp(applicationId, guarantee, stateDir, factor, commitInterval, standbyReplicas,
                streamThreads, applicationServer, serviceSettings);
    }

    public StreamsApp withCommitInterval(Duration interval) {
        return new StreamsApp(applicationId, guarantee, stateDir, replicationFactor, interval, standbyReplicas,
                streamThreads, applicationServer, serviceSettings);
    }

    public StreamsApp withInstances(int standbys, int threads) {
        return new StreamsApp(applicationId, guarantee, stateDir, replicationFactor, commitInterval, standbys,
                threads, applicationServer, serviceSettings);
    }

    public StreamsApp withApplicationServer(String hostAndPort) {
        return new StreamsApp(applicationId, guarantee, stateDir, replicationFactor, commitInterval, standbyReplicas,
                streamThreads, hostAndPort, serviceSettings);
    }

    /** This app with one more setting of its own (a Streams or client key). */
    public StreamsApp with(String key, Object value) {
        Map<String, Object> settings = new LinkedHashMap<>(serviceSettings);
        settings.put(key, value);
        return new StreamsApp(applicationId, guarantee, stateDir, replicationFactor, commitInterval, standbyReplicas,
                streamThreads, applicationServer, settings);
    }

    /**
     * The Streams configuration of this app (a new mutable map).
     *
     * @param deadLetters receives records whose bytes do not deserialize or that make a processor throw (in the
     *                    services: {@code DeadLetters#recoverer()}); processing then continues
     */
    public Map<String, Object> properties(KafkaProperties kafka, ConsumerRecordRecoverer deadLetters) {
        Map<String, Object> config = KafkaClients.streams(kafka);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.value);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        putIfSet(config, StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        putIfSet(config, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval == null ? null : commitInterval.toMillis());
        putIfSet(config, StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        putIfSet(config, StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        if (applicationServer != null && !applicationServer.isBlank()) {
            config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        config.putAll(serviceSettings);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RecoveringDeserializationExceptionHandler.class);
        config.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER, deadLetters);
        DeadLetteringProcessingExceptionHandler.configure(config, deadLetters);
        return BoundedRocksDbMemory.configure(config);
    }

    /** {@link #properties} as Spring Kafka's Streams configuration bean. */
    public KafkaStreamsConfiguration configuration(KafkaProperties kafka, ConsumerRecordRecoverer deadLetters) {
        return new KafkaStreamsConfiguration(properties(kafka, deadLetters));
    }

    private static void putIfSet(Map<String, Object> config, String key, Object value) {
        if (value != null) {
            config.put(key, value);
        }
    }
}
