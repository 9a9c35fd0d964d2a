package com.answerline.dispatch.config;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;

import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.topology.DecisionTopology;
import com.answerline.dispatch.topology.HoldMetrics;
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
import com.answerline.schemas.topic.Topics;

/**
 * The decision topology as the platform's Streams app ({@link StreamsPlatformConfiguration}): exactly once, with
 * undecodable input and processing errors dead-lettered.
 */
@Configuration(proxyBeanMethods = false)
@Import(StreamsPlatformConfiguration.class)
public class DecisionStreamsConfig {

    @Bean
    StreamsApp streamsApp(DispatchProperties properties) {
        return properties.streamsApp();
    }

    /** {@code /actuator/health/decisionStreams}, in the readiness group (the platform's one policy). */
    @Bean
    HealthIndicator decisionStreams(StreamsInstance instance) {
        return new StreamsHealthIndicator(instance);
    }

    @Bean
    HoldMetrics holdMetrics(MeterRegistry meters) {
        return new HoldMetrics(meters);
    }

    /**
     * The upstream guard's settings, shared by the decision topology (which guards reply-commands and
     * reply-cancellations) and the sender (which skips what session-service guards on delivery-statuses).
     */
    @Bean
    UpstreamGuard.Settings upstreamGuard(TenantDirectory tenants, Clock clock, MeterRegistry meters,
                                         KafkaPlatformProperties deployment) {
        return new UpstreamGuard.Settings(new UpstreamRules(tenants, clock),
                deployment.conversationPartitions(), meters);
    }

    /**
     * Publishes the guarded topics' schemas (reply-commands, reply-cancellations) in the registry at start-up, off
     * the start-up thread, so upstream teams find the schema to write with.
     */
    @Bean
    ApplicationRunner upstreamContracts(KafkaProperties kafka) {
        return args -> UpstreamContracts.registerInBackground(KafkaClients.serde(kafka),
                List.of(Topics.REPLY_COMMANDS, Topics.REPLY_CANCELLATIONS));
    }

    /** The decision topology, added to Spring's builder when the app starts. */
    @Bean
    KafkaStreamsInfrastructureCustomizer decisionTopology(ChannelDecider decider, DispatchProperties properties,
                                                          TenantSettings tenants, HoldProperties hold,
                                                          HoldMetrics holdMetrics,
                                                          KafkaProperties kafka, Clock clock,
                                                          UpstreamGuard.Settings upstreamGuard) {
        DecisionTopology topology = new DecisionTopology(decider, tenants::rules, clock,
                properties.sessionCatchUpTimeout(), properties.unknownConversationGrace(), hold.expireAfter(),
                hold.checkInterval(), holdMetrics, KafkaClients.serde(kafka), upstreamGuard);
        return StreamsPlatformConfiguration.topologyPart(topology::addTo);
    }
}
