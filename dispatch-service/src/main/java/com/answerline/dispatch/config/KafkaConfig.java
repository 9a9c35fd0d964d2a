package com.answerline.dispatch.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
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
import com.answerline.platform.kafka.KafkaPlatformProperties;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * Kafka wiring shared by the decision topology and the sender: the topics dispatch uses (declared from the
 * catalogue, replication by the broker's default), and the one failure policy of its consumers.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    static final List<Topic<?>> USED = List.of(Topics.REPLY_COMMANDS, Topics.CONVERSATION_SESSIONS,
            Topics.SEND_REQUESTS, Topics.DISPATCH_OUTCOMES, Topics.REPLY_CANCELLATIONS, Topics.DELIVERY_STATUSES,
            // The send ledger: partition p belongs to send-requests partition p, so it is checked and declared with them.
            Topics.SEND_LEDGER);

    @Bean
    KafkaAdmin.NewTopics dispatchTopics(KafkaPlatformProperties deployment) {
        return deployment.declarations(USED, Optional.empty());
    }

    /**
     * Refuses to start when the conversation topics dispatch uses are not co-partitioned as the deployment says, then
     * creates the missing ones ({@code spring.kafka.admin.*} as for Boot's own admin).
     */
    @Bean
    KafkaAdmin kafkaAdmin(KafkaProperties kafka, KafkaPlatformProperties deployment) {
        return CoPartitioning.kafkaAdmin(kafka, USED, deployment);
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
     * partition. Undecodable ones are published as the original bytes (the platform's {@link DeadLetters}, also the
     * Streams app's), the others re-encoded as Avro.
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
     * The sender's failure policy: a record whose processing throws (in practice: the outcome could not be
     * published) is retried twice a second apart, then dead-lettered; undecodable records go straight to the
     * dead letters. Provider refusals never throw: they are FAILED outcomes.
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler(DeadLetterPublishingRecoverer deadLetters) {
        return new DefaultErrorHandler(deadLetters, new FixedBackOff(1_000L, 2L));
    }
}
