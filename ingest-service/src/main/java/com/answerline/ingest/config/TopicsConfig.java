package com.answerline.ingest.config;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * Declares every topic of the catalogue and its dead-letter twin. KafkaAdmin creates the missing ones at
 * start-up and leaves existing ones alone, so this is idempotent and can run beside the local stack's own
 * topic creation.
 */
@Configuration(proxyBeanMethods = false)
class TopicsConfig {

    @Bean
    KafkaAdmin.NewTopics answerlineTopics(IngestProperties properties) {
        short replicationFactor = properties.kafka().replicationFactor();
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            topics.add(topic.newTopic(replicationFactor));
            topics.add(topic.newDeadLetterTopic(replicationFactor));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }
}
