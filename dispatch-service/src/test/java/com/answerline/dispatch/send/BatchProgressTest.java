package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchProgressTest {

    static final TopicPartition REQUESTS_0 = new TopicPartition("send-requests", 0);
    static final TopicPartition REQUESTS_1 = new TopicPartition("send-requests", 1);
    static final TopicPartition STATUSES_0 = new TopicPartition("delivery-statuses", 0);

    /** One poll: partition 0 at 10, 11, 13 (12 a transaction marker), partition 1 at 5, 6, statuses 0 at 40. */
    final List<ConsumerRecord<String, Object>> batch = List.of(
            record(REQUESTS_0, 10), record(REQUESTS_1, 5), record(REQUESTS_0, 11), record(STATUSES_0, 40),
            record(REQUESTS_1, 6), record(REQUESTS_0, 13));
    final BatchProgress progress = new BatchProgress(batch);

    @Test
    void shouldCommitEachPartitionUpToItsFirstRecordNotDone() {
        // Given records 0 (p0 10), 1 (p1 5), 3 (statuses 40) and 5 (p0 13) done; 2 (p0 11) and 4 (p1 6) not yet
        Map<TopicPartition, OffsetAndMetadata> commits = progress.advanced(Set.of(0, 1, 3, 5)::contains);

        // Then p0 only past 10 (11 is not done, so 13 waits behind it), p1 past 5, statuses past 40
        assertThat(commits).isEqualTo(Map.of(REQUESTS_0, new OffsetAndMetadata(11), REQUESTS_1, new OffsetAndMetadata(6),
                STATUSES_0, new OffsetAndMetadata(41)));
    }

    @Test
    void shouldNameOnlyPartitionsThatAdvancedSinceTheLastCall() {
        progress.advanced(Set.of(0, 1, 3)::contains);

        // Nothing new: nothing to commit
        assertThat(progress.advanced(Set.of(0, 1, 3)::contains)).isEmpty();
        // 11 done: p0 runs on to the end of its records in the batch, past 13 (the marker at 12 skipped with it)
        assertThat(progress.advanced(Set.of(0, 1, 2, 3, 5)::contains))
                .isEqualTo(Map.of(REQUESTS_0, new OffsetAndMetadata(14)));
    }

    @Test
    void shouldNeverPassARecordThatFailed() {
        // Given the first record of p1 failed (never done) and every other record done
        Map<TopicPartition, OffsetAndMetadata> commits = progress.advanced(index -> index != 1);

        // Then p1 is not committed at all; the others are, to their ends
        assertThat(commits).containsOnlyKeys(REQUESTS_0, STATUSES_0);
        assertThat(commits.get(REQUESTS_0).offset()).isEqualTo(14);
    }

    private static ConsumerRecord<String, Object> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k" + offset, "v");
    }
}
