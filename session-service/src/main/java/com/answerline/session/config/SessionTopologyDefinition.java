package com.answerline.session.config;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.platform.upstream.UpstreamRules;
import com.answerline.session.topology.SessionTopology;

/**
 * Adds the fold to Spring's {@link StreamsBuilder}; the factory bean builds and starts it. Kept apart from
 * {@link SessionStreamsConfiguration}, which the builder itself depends on.
 */
@Component
class SessionTopologyDefinition {

    SessionTopologyDefinition(StreamsBuilder builder, SessionServiceProperties properties, Clock clock,
                              MeterRegistry meters, TenantDirectory tenants, KafkaProperties kafka) {
        SessionTopology.addTo(builder, new SessionTopology.Settings(StreamsSettings.serdeConfig(kafka),
                properties.dedup().retention(), clock, properties.timers().expiringLead(),
                properties.timers().interval(), meters,
                new UpstreamGuard.Settings(new UpstreamRules(tenants, clock), Topics.CONVERSATION_PARTITIONS, meters)));
    }
}
