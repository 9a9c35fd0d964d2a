package com.answerline.platform.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.core.KafkaAdmin;

import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * What every service of one deployment must agree on about its Kafka topics, under {@code answerline.kafka} (the
 * same name in every service; {@code ANSWERLINE_KAFKA_CONVERSATIONPARTITIONS} in an environment).
 *
 * <p><b>Conversation partitions.</b> Every conversation topic and dispatch's send ledger
 * ({@link Topics#CONVERSATION_PARTITIONED}), and their dead-letter twins, have this many partitions: the services declare their topics with it, the upstream guard places records with it,
 * and each service refuses to start when its co-partitioned topics disagree with each other or with it
 * ({@link CoPartitioning}). Partitions bound parallelism (instances x stream threads of a Streams service), can never
 * be lowered, and raising them re-maps conversations to partitions: choose before go-live (deploy/README.md). The
 * default, {@value Topics#CONVERSATION_PARTITIONS}, is the local stack's. Topics that are not conversation topics keep
 * the catalogue's count.
 *
 * @param conversationPartitions partition count of every conversation topic, at least 1
 */
@ConfigurationProperties("answerline.kafka")
public record KafkaPlatformProperties(@DefaultValue("6") int conversationPartitions) {

    /** The local stack's setting. */
    public static final KafkaPlatformProperties DEFAULTS = new KafkaPlatformProperties(Topics.CONVERSATION_PARTITIONS);

    public KafkaPlatformProperties {
        if (conversationPartitions < 1) {
            throw new IllegalArgumentException("answerline.kafka.conversation-partitions must be at least 1: "
                    + conversationPartitions);
        }
    }

    /** The partition count {@code topic} has in this deployment: the setting for a conversation topic, else the catalogue's. */
    public int partitionsOf(Topic<?> topic) {
        return Topics.CONVERSATION_PARTITIONED.contains(topic) ? conversationPartitions : topic.partitions();
    }

    /**
     * The declarations of {@code topics} and their dead-letter twins with this deployment's partition counts, for
     * {@link KafkaAdmin} (which creates the missing ones and leaves existing ones alone).
     *
     * @param replicationFactor empty for the broker's {@code default.replication.factor}
     */
    public KafkaAdmin.NewTopics declarations(Collection<? extends Topic<?>> topics, Optional<Short> replicationFactor) {
        return new KafkaAdmin.NewTopics(newTopics(topics, replicationFactor).toArray(NewTopic[]::new));
    }

    /** The same declarations as a list (what a manifest check compares with). */
    public List<NewTopic> newTopics(Collection<? extends Topic<?>> topics, Optional<Short> replicationFactor) {
        List<NewTopic> declared = new ArrayList<>();
        for (Topic<?> topic : topics) {
            declared.add(topic.newTopic(partitionsOf(topic), replicationFactor));
            declared.add(topic.newDeadLetterTopic(partitionsOf(topic), replicationFactor));
        }
        return declared;
    }
}
