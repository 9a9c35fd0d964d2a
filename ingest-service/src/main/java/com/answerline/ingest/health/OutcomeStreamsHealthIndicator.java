package com.answerline.ingest.health;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import com.answerline.ingest.topology.StreamsInstance;

/**
 * {@code /actuator/health/outcomeStreams}: UP only while the reply-outcomes app is RUNNING (its store then
 * answers), UNKNOWN while it is not started yet (StreamsStarter waits for Kafka), starts or rebalances
 * (GET /api/v1/replies and replies with an idempotency key answer 503 meanwhile; the same app's identity directory
 * has its own indicator, identityDirectory, which decides readiness for the webhooks), DOWN when it is stopping or
 * failed. The {@code state} detail is what the local
 * stack waits on.
 */
@Component("outcomeStreams")
class OutcomeStreamsHealthIndicator implements HealthIndicator {

    private final StreamsInstance streamsInstance;

    OutcomeStreamsHealthIndicator(StreamsInstance streamsInstance) {
        this.streamsInstance = streamsInstance;
    }

    @Override
    public Health health() {
        KafkaStreams streams = streamsInstance.get();
        // Not created yet: StreamsStarter starts the app off Spring's start-up, retrying while Kafka is away.
        String state = streams == null ? "NOT_STARTED" : streams.state().name();
        Health.Builder health = streams == null ? Health.unknown() : switch (streams.state()) {
            case RUNNING -> Health.up();
            case CREATED, REBALANCING -> Health.unknown();
            default -> Health.down();
        };
        return health.withDetail("state", state).withDetail("store", "reply-outcomes-store").build();
    }
}
