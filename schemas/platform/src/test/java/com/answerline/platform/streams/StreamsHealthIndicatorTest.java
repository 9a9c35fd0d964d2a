package com.answerline.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class StreamsHealthIndicatorTest {

    private final StreamsInstance instance = new StreamsInstance();
    private final StreamsHealthIndicator indicator = new StreamsHealthIndicator(instance, Map.of("store", "s"));

    @Test
    void shouldBeUpOnlyWhileRunning() {
        assertThat(healthIn(KafkaStreams.State.RUNNING).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldBeUnknownWhileNotStartedCreatedOrRebalancingSoTheProbesPass() {
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(indicator.health().getDetails()).containsEntry("state", "NOT_STARTED").containsEntry("store", "s");
        assertThat(healthIn(KafkaStreams.State.CREATED).getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(healthIn(KafkaStreams.State.REBALANCING).getStatus()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void shouldBeDownWhenStreamsFailedOrStops() {
        for (KafkaStreams.State state : new KafkaStreams.State[] {KafkaStreams.State.PENDING_SHUTDOWN,
                KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR}) {
            Health health = healthIn(state);
            assertThat(health.getStatus()).as(state.name()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("state", state.name());
        }
    }

    private Health healthIn(KafkaStreams.State state) {
        KafkaStreams streams = mock(KafkaStreams.class);
        when(streams.state()).thenReturn(state);
        instance.set(streams);
        return indicator.health();
    }
}
