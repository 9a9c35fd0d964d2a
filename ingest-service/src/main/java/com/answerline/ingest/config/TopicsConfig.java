package com.answerline.ingest.config;

import java.util.Optional;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import com.answerline.platform.kafka.CoPartitioning;
import com.answerline.platform.kafka.KafkaPlatformProperties;
import com.answerline.schemas.topic.Topics;

/**
 * Declares every topic of the catalogue and its dead-letter twin, conversation topics with the deployment's
 * partition count ({@code answerline.kafka.conversation-partitions}). KafkaAdmin creates the missing ones at
 * start-up and leaves existing ones alone, so this is idempotent and can run beside the local stack's own
 * topic creation.
 */
@Configuration(proxyBeanMethods = false)
class TopicsConfig {

    @Bean
    KafkaAdmin.NewTopics answerlineTopics(IngestProperties properties, KafkaPlatformProperties deployment) {
        return deployment.declarations(Topics.ALL, Optional.of(properties.kafka().replicationFactor()));
    }

    /**
     * Refuses to start when the conversation topics ingest writes are not co-partitioned as the deployment says (the
     * other services would refuse too, and what ingest published meanwhile would be forwarded or dead-lettered), then
     * creates the missing topics ({@code spring.kafka.admin.*} as for Boot's own admin).
     */
    @Bean
    KafkaAdmin kafkaAdmin(KafkaProperties kafka, KafkaPlatformProperties deployment) {
        return CoPartitioning.kafkaAdmin(kafka, Topics.CONVERSATION_TOPICS, deployment);
    }
}
