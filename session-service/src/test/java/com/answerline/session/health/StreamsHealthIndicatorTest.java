package com.answerline.session.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

class StreamsHealthIndicatorTest {

    private final StreamsBuilderFactoryBean factoryBean = mock(StreamsBuilderFactoryBean.class);
    private final StreamsHealthIndicator indicator = new StreamsHealthIndicator(factoryBean);

    @Test
    void shouldBeUpWhileStreamsRunsOrRebalances() {
        assertThat(healthIn(KafkaStreams.State.RUNNING)).isEqualTo(Status.UP);
        assertThat(healthIn(KafkaStreams.State.REBALANCING)).isEqualTo(Status.UP);
    }

    @Test
    void shouldBeDownWhenStreamsFailedStoppedOrNeverStarted() {
        assertThat(healthIn(KafkaStreams.State.ERROR)).isEqualTo(Status.DOWN);
        assertThat(healthIn(KafkaStreams.State.PENDING_SHUTDOWN)).isEqualTo(Status.DOWN);
        assertThat(healthIn(KafkaStreams.State.NOT_RUNNING)).isEqualTo(Status.DOWN);
        when(factoryBean.getKafkaStreams()).thenReturn(null);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    }

    private Status healthIn(KafkaStreams.State state) {
        KafkaStreams streams = mock(KafkaStreams.class);
        when(streams.state()).thenReturn(state);
        when(factoryBean.getKafkaStreams()).thenReturn(streams);
        return indicator.health().getStatus();
    }
}
