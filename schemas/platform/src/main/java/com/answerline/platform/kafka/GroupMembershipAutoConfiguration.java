package com.answerline.platform.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * {@link GroupMembership} for every service, and on every consumer Boot's consumer factory makes (the
 * {@code @KafkaListener} containers: dispatch's sender). The Streams apps get it from the platform's Streams
 * configuration. Consumers outside any group (assigned partitions) ignore it.
 */
@AutoConfiguration
@EnableConfigurationProperties(GroupMembership.class)
public class GroupMembershipAutoConfiguration {

    @Bean
    DefaultKafkaConsumerFactoryCustomizer groupMembershipConsumers(GroupMembership membership) {
        return factory -> factory.updateConfigs(membership.consumerSettings());
    }
}
