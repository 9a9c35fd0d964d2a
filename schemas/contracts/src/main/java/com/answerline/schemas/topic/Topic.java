package com.answerline.schemas.topic;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import com.answerline.schemas.serde.SpecificAvroSerde;

/**
 * One Kafka topic, declared once: its name, key and value types, partition count, cleanup policy and
 * dead-letter twin. Keys are always plain UTF-8 strings (the conversation id) so upstream systems can
 * produce with any client; values are Avro records in the Confluent wire format.
 *
 * @param name          kebab-case topic name
 * @param valueType     the generated Avro class carried as value
 * @param partitions    the catalogue's partition count; every conversation topic shares
 *                      {@link Topics#CONVERSATION_PARTITIONS}, the default of the deployment setting that decides it
 *                      (the platform's {@code answerline.kafka.conversation-partitions})
 * @param compacted     {@code cleanup.policy=compact} when true, {@code delete} otherwise
 * @param deadLetter    name of the dead-letter twin that receives records this topic's consumers cannot process
 * @param maxMessageBytes {@code max.message.bytes} of the topic and its twin, or 0 for the broker's default (1 MiB);
 *                      producers writing larger records also need a matching {@code max.request.size}
 * @param retention     {@code retention.ms} of the topic, or null for the broker's default; on a compacted topic it
 *                      makes the policy {@code compact,delete} (the latest record per key, but none older than this)
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType, int partitions, boolean compacted,
                                              String deadLetter, int maxMessageBytes, Duration retention) {

    /** A topic with the broker's default record size limit. */
    public Topic(String name, Class<V> valueType, int partitions, boolean compacted, String deadLetter) {
        this(name, valueType, partitions, compacted, deadLetter, 0, null);
    }

    /** A topic with the broker's default retention. */
    public Topic(String name, Class<V> valueType, int partitions, boolean compacted, String deadLetter,
                 int maxMessageBytes) {
        this(name, valueType, partitions, compacted, deadLetter, maxMessageBytes, null);
    }

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("topic names are kebab-case: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive: " + partitions);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must be 0 (broker default) or positive: " + maxMessageBytes);
        }
    }

    /** Key serde of every topic: the conversation id as UTF-8. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /**
     * Value serde in the Confluent wire format, configured with the registry properties
     * ({@code schema.registry.url}, {@code auto.register.schemas}, ...).
     */
    public Serde<V> valueSerde(Map<String, ?> serdeConfig) {
        SpecificAvroSerde<V> serde = new SpecificAvroSerde<>();
        serde.configure(serdeConfig, false);
        return serde;
    }

    public String cleanupPolicy() {
        if (!compacted) {
            return TopicConfig.CLEANUP_POLICY_DELETE;
        }
        return retention == null ? TopicConfig.CLEANUP_POLICY_COMPACT
                : TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE;
    }

    /** The topic as an admin-client declaration with the catalogue's partitions, replication factor given by the environment. */
    public NewTopic newTopic(short replicationFactor) {
        return newTopic(partitions, Optional.of(replicationFactor));
    }

    /**
     * The topic as an admin-client declaration with the deployment's partition count.
     *
     * @param replicationFactor empty for the broker's {@code default.replication.factor}
     */
    public NewTopic newTopic(int partitionCount, Optional<Short> replicationFactor) {
        Map<String, String> configs = new HashMap<>(configs(cleanupPolicy()));
        if (retention != null) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        return new NewTopic(name, Optional.of(partitionCount), replicationFactor).configs(configs);
    }

    /** The dead-letter twin: same partitions (a poison record keeps its key and partition), never compacted. */
    public NewTopic newDeadLetterTopic(short replicationFactor) {
        return newDeadLetterTopic(partitions, Optional.of(replicationFactor));
    }

    /** The dead-letter twin with the deployment's partition count (the topic's own). */
    public NewTopic newDeadLetterTopic(int partitionCount, Optional<Short> replicationFactor) {
        return new NewTopic(deadLetter, Optional.of(partitionCount), replicationFactor)
                .configs(configs(TopicConfig.CLEANUP_POLICY_DELETE));
    }

    private Map<String, String> configs(String cleanupPolicy) {
        return maxMessageBytes == 0
                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy)
                : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    }
}
