package com.answerline.platform.streams;

import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of a service's Streams app, one policy for every service:
 * <ul>
 *   <li>UP while RUNNING: its stores answer and its topology processes;</li>
 *   <li>UNKNOWN while not started yet, CREATED or REBALANCING: a passing state (every deploy, scale-out or crash
 *       rebalances the whole group at once) after which Streams resumes by itself. UNKNOWN keeps the probes passing
 *       (Boot answers 200 for it and ranks it below UP in the readiness group), so a rebalance never takes every
 *       instance out of the load balancer together; reads that need the store answer 503 with Retry-After
 *       meanwhile;</li>
 *   <li>DOWN when shutting down, stopped or failed: its answers would be stale and nothing is processed, so the
 *       readiness group that includes it fails.</li>
 * </ul>
 * The {@code state} detail is the Streams state ({@code NOT_STARTED} before the first instance): what the local stack
 * waits on, since the aggregate says UP during a rebalance.
 */
public final class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsInstance instance;
    private final Map<String, Object> details;

    /** @param details shown beside the state (e.g. the store the service answers from) */
    public StreamsHealthIndicator(StreamsInstance instance, Map<String, Object> details) {
        this.instance = instance;
        this.details = Map.copyOf(details);
    }

    public StreamsHealthIndicator(StreamsInstance instance) {
        this(instance, Map.of());
    }

    @Override
    public Health health() {
        KafkaStreams streams = instance.get();
        if (streams == null) {
            return Health.unknown().withDetail("state", "NOT_STARTED").withDetails(details).build();
        }
        KafkaStreams.State state = streams.state();
        Health.Builder health = switch (state) {
            case RUNNING -> Health.up();
            case CREATED, REBALANCING -> Health.unknown();
            case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> Health.down();
        };
        return health.withDetail("state", state.name()).withDetails(details).build();
    }
}
