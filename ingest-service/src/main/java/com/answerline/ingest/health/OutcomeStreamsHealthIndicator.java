package com.answerline.ingest.health;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/outcomeStreams}: UP only while the reply-outcomes app is RUNNING (its store then
 * answers), UNKNOWN while it waits for Kafka, starts or rebalances (GET /api/v1/replies answers 503 meanwhile, webhooks work,
 * so the aggregate stays UP), DOWN when it is stopping or failed. The {@code state} detail is what the local
 * stack waits on.
 */
@Component("outcomeStreams")
class OutcomeStreamsHealthIndicator implements HealthIndicator {

    private final StreamsBuilderFactoryBean factoryBean;

    OutcomeStreamsHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
        this.factoryBean = factoryBean;
    }

    @Override
    public Health health() {
        KafkaStreams streams = factoryBean.getKafkaStreams();
        // Not created yet: StreamsStarter waits for Kafka before starting the app.
        String state = streams == null ? "NOT_STARTED" : streams.state().name();
        Health.Builder health = streams == null ? Health.unknown() : switch (streams.state()) {
            case RUNNING -> Health.up();
            case CREATED, REBALANCING -> Health.unknown();
            default -> Health.down();
        };
        return health.withDetail("state", state).withDetail("store", "reply-outcomes-store").build();
    }
}
