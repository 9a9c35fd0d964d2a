package com.answerline.dispatch.health;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * Health of the decision topology: UP while RUNNING, UNKNOWN while rebalancing (also what a missing broker looks
 * like from inside Streams), DOWN when not started, failed or shutting down: no reply can be decided then.
 */
@Component("decisionStreams")
class DecisionStreamsHealthIndicator implements HealthIndicator {

    private final StreamsBuilderFactoryBean streams;

    DecisionStreamsHealthIndicator(StreamsBuilderFactoryBean streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null) {
            return Health.down().withDetail("state", "NOT_CREATED").build();
        }
        KafkaStreams.State state = kafkaStreams.state();
        Health.Builder health = switch (state) {
            case RUNNING -> Health.up();
            case REBALANCING -> Health.unknown();
            default -> Health.down();
        };
        return health.withDetail("state", state.name()).build();
    }
}
