package com.answerline.dispatch.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.LoggingProducerListener;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.util.backoff.FixedBackOff;

import com.answerline.platform.kafka.CoPartitioning;
import com.answerline.platform.kafka.DeadLetters;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * Kafka wiring shared by the decision topology and the sender: the topics dispatch uses (declared from the
 * catalogue, replication by the broker's default), and the one failure policy of its consumers.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    static final List<Topic<?>> USED = List.of(Topics.REPLY_COMMANDS, Topics.CONVERSATION_SESSIONS,
            Topics.SEND_REQUESTS, Topics.DISPATCH_OUTCOMES, Topics.REPLY_CANCELLATIONS, Topics.DELIVERY_STATUSES);

    @Bean
    KafkaAdmin.NewTopics dispatchTopics() {
        return new KafkaAdmin.NewTopics(USED.stream()
                .flatMap(topic -> java.util.stream.Stream.of(
                        newTopic(topic.name(), topic.partitions(), topic.cleanupPolicy()),
                        newTopic(topic.deadLetter(), topic.partitions(), TopicConfig.CLEANUP_POLICY_DELETE)))
                .toArray(NewTopic[]::new));
    }

    /** Refuses to start when the conversation topics dispatch reads are not co-partitioned as the catalogue says. */
    @Bean
    SmartInitializingSingleton coPartitioning(KafkaAdmin admin) {
        return CoPartitioning.atStartUp(admin, USED);
    }

    /**
     * Replaces Boot's default producer listener, which logs a failed record's key and value: the
     * conversation id carries the customer's number and the value the agent's words.
     */
    @Bean
    ProducerListener<Object, Object> kafkaProducerListener() {
        LoggingProducerListener<Object, Object> listener = new LoggingProducerListener<>();
        listener.setIncludeContents(false);
        return listener;
    }

    /**
     * Poison records (undecodable, or failing after the retries) go to the topic's dead-letter twin, same
     * partition. Undecodable ones are published as the original bytes, the others re-encoded as Avro.
     */
    @Bean
    DeadLetterPublishingRecoverer deadLetterRecoverer(KafkaTemplate<Object, Object> avroTemplate,
                                                      DeadLetters deadLetterBytes) {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, deadLetterBytes.template());
        templates.put(Object.class, avroTemplate);
        return new DeadLetterPublishingRecoverer(templates,
                (record, exception) -> new TopicPartition(Topics.deadLetterOf(record.topic()), record.partition()));
    }

    /**
     * Publishes undecodable records as they came (keys as String from listeners, raw bytes from Kafka Streams); built
     * from spring.kafka.* like every client. A bean of its own so that its producer closes with the context (a second
     * ProducerFactory bean would displace Boot's).
     */
    @Bean
    DeadLetters deadLetterBytes(KafkaProperties kafka) {
        return new DeadLetters(kafka);
    }

    /**
     * The sender's failure policy: a record whose processing throws (in practice: the outcome could not be
     * published) is retried twice a second apart, then dead-lettered; undecodable records go straight to the
     * dead letters. Provider refusals never throw: they are FAILED outcomes.
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler(DeadLetterPublishingRecoverer deadLetters) {
        return new DefaultErrorHandler(deadLetters, new FixedBackOff(1_000L, 2L));
    }

    private static NewTopic newTopic(String name, int partitions, String cleanupPolicy) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy));
    }
}
