package com.answerline.bench.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import com.answerline.avro.SessionState;
import com.answerline.bench.report.Check;
import com.answerline.schemas.topic.Topics;

/**
 * The fold checks (fold stage, fault suite, bad-input suite) fed a run in which a message is folded twice and the
 * record that shows it is committed only after every conversation reached its count.
 */
class FoldedCountsTest {

    private static final String A = "100000000000001:15551230001";
    private static final String B = "100000000000001:15551230002";
    private static final TopicPartition P0 = new TopicPartition(Topics.CONVERSATION_SESSIONS.name(), 0);
    private static final TopicPartition P1 = new TopicPartition(Topics.CONVERSATION_SESSIONS.name(), 1);

    private final MockConsumer<String, Object> consumer = new MockConsumer<>("earliest");
    private long nextOffset0 = 5;

    @Test
    void shouldSeeADoubleFoldCommittedAfterEveryConversationReachedItsCount() {
        // Given both conversations reach their count of 2 in the first poll (from the mark at offset 5), and A's
        // third fold (a message folded twice) comes in the next one, before the end offsets taken after the load
        consumer.schedulePollTask(() -> {
            add(P0, A, 1);
            add(P0, A, 2);
            consumer.addRecord(record(P1, 0, B, 2));
        });
        consumer.schedulePollTask(() -> add(P0, A, 3));

        // When the counts are read until every conversation reached 2, then to the end offsets after the load
        Map<String, Long> counts = FoldedCounts.read(consumer, Map.of(P0, 5L, P1, 0L), Set.of(A, B),
                FoldedCounts.grewBy(Map.of(A, 2L, B, 2L), Map.of()), () -> Map.of(P0, 8L, P1, 1L),
                Duration.ofSeconds(5));

        // Then A's count shows the double fold, and the fold stage's check fails on it
        assertThat(counts).containsEntry(A, 3L).containsEntry(B, 2L);
        Check check = FoldStage.foldedOnce(counts, Set.of(A, B), 2);
        assertThat(check.passed()).as(check.detail()).isFalse();
        assertThat(check.detail()).contains("1 above 2 (folded twice)");
    }

    @Test
    void shouldPassTheFoldStagesCheckOnlyWhenEveryCountIsExact() {
        assertThat(FoldStage.foldedOnce(Map.of(A, 2L, B, 2L), Set.of(A, B), 2).passed()).isTrue();
        assertThat(FoldStage.foldedOnce(Map.of(A, 2L), Set.of(A, B), 2).passed()).isFalse();
        assertThat(FoldStage.foldedOnce(Map.of(A, 2L, B, 1L), Set.of(A, B), 2).passed()).isFalse();
    }

    @Test
    void shouldReadFromTheMarkNotFromTheBeginning() {
        // Given an older session of A before the mark (another run's count) and this run's after it
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(P0, 0, A, 40));
            add(P0, A, 1);
        });

        // When read from the mark
        Map<String, Long> counts = FoldedCounts.read(consumer, Map.of(P0, 5L), Set.of(A),
                FoldedCounts.grewBy(Map.of(A, 1L), Map.of()), () -> Map.of(P0, 6L), Duration.ofSeconds(5));

        // Then only the records from the mark count
        assertThat(counts).containsExactly(Map.entry(A, 1L));
    }

    private void add(TopicPartition partition, String conversation, long inboundCount) {
        consumer.addRecord(record(partition, nextOffset0++, conversation, inboundCount));
    }

    private static ConsumerRecord<String, Object> record(TopicPartition partition, long offset, String conversation,
                                                         long inboundCount) {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        SessionState state = SessionState.newBuilder()
                .setTenantId("demo").setConversationId(conversation).setPhoneNumberId("100000000000001")
                .setInboundCount(inboundCount).setVersion(inboundCount).setUpdatedAt(now)
                .setWindowOpenedAt(now).setWindowExpiresAt(now.plus(Duration.ofHours(24)))
                .setLastCustomerMessageAt(now).build();
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, conversation, state);
    }
}
