package com.answerline.session.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

import com.answerline.platform.kafka.CoPartitioning;
import com.answerline.platform.kafka.DeadLetters;
import com.answerline.platform.kafka.KafkaClients;
import com.answerline.platform.streams.ThreadReplacementPolicy;
import com.answerline.platform.upstream.UpstreamContracts;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/** Wires the topology into Spring's Kafka Streams lifecycle; every value comes from {@link SessionServiceProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties({SessionServiceProperties.class, SessionRecoveryProperties.class})
class SessionStreamsConfiguration {

    /** The topics the fold reads; each gets its dead-letter twin. */
    static final List<Topic<?>> INPUTS = List.of(Topics.INBOUND_MESSAGES, Topics.DISPATCH_OUTCOMES,
            Topics.ASSIGNMENT_CHANGES, Topics.DELIVERY_STATUSES);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(SessionServiceProperties properties,
                                                        SessionRecoveryProperties recovery, KafkaProperties kafka,
                                                        DeadLetters deadLetters) {
        return new KafkaStreamsConfiguration(StreamsSettings.streamsProperties(properties, recovery, kafka,
                deadLetters.recoverer()));
    }

    /** The topics this service guards for every upstream producer (see UpstreamGuard). */
    static final List<Topic<?>> GUARDED = List.of(Topics.INBOUND_MESSAGES, Topics.ASSIGNMENT_CHANGES,
            Topics.DELIVERY_STATUSES);

    /**
     * Publishes the guarded topics' schemas in the registry at start-up, off the start-up thread (a registry that is
     * away must not hold the service up), so upstream teams find the schema to write with.
     */
    @Bean
    ApplicationRunner upstreamContracts(KafkaProperties kafka) {
        return args -> UpstreamContracts.registerInBackground(StreamsSettings.serdeConfig(kafka), GUARDED);
    }

    /** A stream thread that dies is replaced, a bounded number of times (see {@link ThreadReplacementPolicy}). */
    @Bean
    StreamsBuilderFactoryBeanConfigurer threadReplacement() {
        return factoryBean -> factoryBean.setStreamsUncaughtExceptionHandler(ThreadReplacementPolicy.standard());
    }

    /** Publishes poison records' raw bytes to dead-letter topics; idempotent, outside the Streams transaction. */
    @Bean
    DeadLetters deadLetters(KafkaProperties kafka) {
        return new DeadLetters(kafka);
    }

    @Bean
    KafkaAdmin kafkaAdmin(SessionServiceProperties properties, KafkaProperties kafka) {
        KafkaAdmin admin = new KafkaAdmin(KafkaClients.admin(kafka));
        admin.setAutoCreate(properties.kafka().createTopics());
        return admin;
    }

    /** Refuses to start when the conversation topics the fold reads are not co-partitioned as the catalogue says. */
    @Bean
    SmartInitializingSingleton coPartitioning(KafkaAdmin admin) {
        List<Topic<?>> topics = new ArrayList<>(INPUTS);
        topics.add(Topics.CONVERSATION_SESSIONS);
        return CoPartitioning.atStartUp(admin, topics);
    }

    /**
     * Declares what the fold reads and writes (idempotent: existing topics are left alone), so the service
     * also starts on an empty broker; Streams refuses to start without its source topics.
     */
    @Bean
    KafkaAdmin.NewTopics sessionTopics(SessionServiceProperties properties) {
        short rf = properties.kafka().replicationFactor();
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?> input : INPUTS) {
            topics.add(input.newTopic(rf));
            topics.add(input.newDeadLetterTopic(rf));
        }
        topics.add(Topics.CONVERSATION_SESSIONS.newTopic(rf));
        topics.add(Topics.WINDOW_EVENTS.newTopic(rf));
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }
}
