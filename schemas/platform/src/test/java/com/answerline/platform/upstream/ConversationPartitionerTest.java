package com.answerline.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ConversationPartitionerTest {

    @Test
    void shouldPutTheMeasuredConversationOnPartitionZeroOfSixAsJavaDoes() {
        // DOMAIN.md 7a: Java puts this key on partition 0 of 6 (librdkafka's default on 5).
        assertThat(ConversationPartitioner.partitionOf("100000000000001:15557373878", 6)).isZero();
    }

    @Test
    void shouldAgreeWithTheJavaProducersPartitionerForEveryKey() {
        for (String key : List.of("100000000000001:15551230001", "100000000000002:US.13491208655302741918",
                "1:2", "100000000000001:15557373878")) {
            for (int partitions : List.of(1, 6, 24, 31)) {
                assertThat(ConversationPartitioner.partitionOf(key, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    void shouldRefuseANonPositivePartitionCount() {
        assertThatThrownBy(() -> ConversationPartitioner.partitionOf("1:2", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
