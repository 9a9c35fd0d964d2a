package com.answerline.session.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.core.KafkaAdmin;

import com.answerline.platform.kafka.CoPartitioning;
import com.answerline.platform.kafka.KafkaClients;
import com.answerline.platform.kafka.KafkaPlatformProperties;
import com.answerline.platform.streams.StreamsApp;
import com.answerline.platform.streams.StreamsHealthIndicator;
import com.answerline.platform.streams.StreamsInstance;
import com.answerline.platform.streams.StreamsPlatformConfiguration;
import com.answerline.platform.upstream.UpstreamContracts;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.platform.upstream.UpstreamRules;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;
import com.answerline.session.topology.SessionTopology;

/**
 * The fold as the platform's Streams app ({@link StreamsPlatformConfiguration}): its {@link StreamsApp}, its topology
 * part, its topics; every value comes from {@link SessionServiceProperties} and {@code answerline.kafka.*}.
 */
@Configuration(proxyBeanMethods = false)
@Import(StreamsPlatformConfiguration.class)
@EnableConfigurationProperties({SessionServiceProperties.class, SessionThreadProperties.class})
class SessionStreamsConfiguration {

    /** The topics the fold reads; each gets its dead-letter twin. */
    static final List<Topic<?>> INPUTS = List.of(Topics.INBOUND_MESSAGES, Topics.DISPATCH_OUTCOMES,
            Topics.ASSIGNMENT_CHANGES, Topics.DELIVERY_STATUSES);

    /** The topics this service guards for every upstream producer (see UpstreamGuard). */
    static final List<Topic<?>> GUARDED = List.of(Topics.INBOUND_MESSAGES, Topics.ASSIGNMENT_CHANGES,
            Topics.DELIVERY_STATUSES);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    StreamsApp streamsApp(SessionServiceProperties properties) {
        return properties.streamsApp();
    }

    /** The fold, added to Spring's builder when the app starts. */
    @Bean
    KafkaStreamsInfrastructureCustomizer sessionTopology(SessionServiceProperties properties,
                                                         SessionThreadProperties thread, Clock clock,
                                                         MeterRegistry meters, TenantDirectory tenants,
                                                         KafkaProperties kafka, KafkaPlatformProperties deployment) {
        SessionTopology.Settings settings = new SessionTopology.Settings(KafkaClients.serde(kafka),
                properties.dedup().retention(), clock, properties.timers().expiringLead(),
                properties.timers().interval(), meters, new UpstreamGuard.Settings(new UpstreamRules(tenants, clock),
                        deployment.conversationPartitions(), meters), thread.limits());
        return StreamsPlatformConfiguration.topologyPart(builder -> SessionTopology.addTo(builder, settings));
    }

    /** {@code /actuator/health/kafkaStreams}, in the readiness group (the platform's one policy). */
    @Bean
    HealthIndicator kafkaStreams(StreamsInstance instance) {
        return new StreamsHealthIndicator(instance, Map.of("store", SessionTopology.SESSION_STORE));
    }

    /**
     * Publishes the guarded topics' schemas in the registry at start-up, off the start-up thread (a registry that is
     * away must not hold the service up), so upstream teams find the schema to write with.
     */
    @Bean
    ApplicationRunner upstreamContracts(KafkaProperties kafka) {
        return args -> UpstreamContracts.registerInBackground(KafkaClients.serde(kafka), GUARDED);
    }

    /**
     * Refuses to start when the conversation topics the fold uses are not co-partitioned as the deployment says, then
     * creates the missing ones when {@code answerline.session.kafka.create-topics} is on.
     */
    @Bean
    KafkaAdmin kafkaAdmin(SessionServiceProperties properties, KafkaProperties kafka, KafkaPlatformProperties deployment) {
        KafkaAdmin admin = CoPartitioning.kafkaAdmin(kafka, sessionTopics(), deployment);
        admin.setAutoCreate(properties.kafka().createTopics());
        return admin;
    }

    /**
     * Declares what the fold reads and writes (idempotent: existing topics are left alone), so the service
     * also starts on an empty broker; Streams refuses to start without its source topics.
     */
    @Bean
    KafkaAdmin.NewTopics sessionTopics(SessionServiceProperties properties, KafkaPlatformProperties deployment) {
        return deployment.declarations(sessionTopics(), Optional.of(properties.kafka().replicationFactor()));
    }

    private static List<Topic<?>> sessionTopics() {
        List<Topic<?>> topics = new ArrayList<>(INPUTS);
        topics.add(Topics.CONVERSATION_SESSIONS);
        topics.add(Topics.WINDOW_EVENTS);
        topics.add(Topics.CONVERSATION_MESSAGES);
        return topics;
    }
}
