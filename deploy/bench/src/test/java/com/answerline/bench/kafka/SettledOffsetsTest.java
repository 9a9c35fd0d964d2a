package com.answerline.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SettledOffsetsTest {

    static final TopicPartition INBOUND_0 = new TopicPartition("inbound-messages", 0);

    @Test
    void shouldWaitUntilTheLateRecordsAreInAndTheEndStaysPut() {
        // Given a topic that gets three more records (one per read), then none
        AtomicLong reads = new AtomicLong();
        SettledOffsets.Result result = SettledOffsets.await(
                () -> Map.of(INBOUND_0, 100 + Math.min(3, reads.getAndIncrement())),
                Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMillis(5));

        // Then the end it settles on has all three, and it waited for them
        assertThat(result.settled()).isTrue();
        assertThat(result.ends()).isEqualTo(Map.of(INBOUND_0, 103L));
        assertThat(reads.get()).isGreaterThan(4);
    }

    @Test
    void shouldSayItDidNotSettleWhenTheTopicKeepsGrowing() {
        AtomicLong end = new AtomicLong();
        SettledOffsets.Result result = SettledOffsets.await(() -> Map.of(INBOUND_0, end.incrementAndGet()),
                Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(5));

        assertThat(result.settled()).isFalse();
        assertThat(result.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
}
