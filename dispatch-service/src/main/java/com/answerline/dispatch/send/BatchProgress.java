package com.answerline.dispatch.send;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a batch still running may commit: per partition, the offset just past its records done in an unbroken run
 * from the batch's first (so a commit never skips a record not done), past its last record when all of it is done.
 * Records of one partition come in offset order in a poll; they are done out of order (conversations run side by side), and a
 * partition's commit waits for the earliest one. A record that failed is never done, so a commit never passes it.
 *
 * <p>Why: the sender commits a batch once all of it is done (ack mode batch). A batch that holds a backlog (a restart
 * takes over a minute of replies) then keeps every partition's commit where it was for the whole batch, although most
 * of it is sent; committing the done prefix as it grows makes the progress durable (a crash redelivers less, each
 * redelivered record republishing its logged outcome) and shows from outside that the partition is served. Used on
 * the consumer thread only, as the Kafka consumer that commits.
 */
final class BatchProgress {

    private final List<? extends ConsumerRecord<?, ?>> records;
    /** Built at the first {@link #advanced} call: most batches end before they report and never need it. */
    private Map<TopicPartition, Partition> partitions;

    /** A partition's records in the batch: their indices and offsets in poll order, and how far it is done. */
    private static final class Partition {
        final List<Integer> indices = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        int doneUpTo;
    }

    BatchProgress(List<? extends ConsumerRecord<?, ?>> records) {
        this.records = records;
    }

    private Map<TopicPartition, Partition> partitions() {
        if (partitions != null) {
            return partitions;
        }
        partitions = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<?, ?> record = records.get(i);
            Partition partition = partitions.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                    tp -> new Partition());
            partition.indices.add(i);
            partition.offsets.add(record.offset());
        }
        return partitions;
    }

    /**
     * The partitions whose done prefix grew since the last call, each with the offset to commit (the next record to
     * read); empty when none did.
     *
     * @param done whether the record at this index of the batch is done
     */
    Map<TopicPartition, OffsetAndMetadata> advanced(IntPredicate done) {
        Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
        partitions().forEach((tp, partition) -> {
            int from = partition.doneUpTo;
            while (partition.doneUpTo < partition.indices.size() && done.test(partition.indices.get(partition.doneUpTo))) {
                partition.doneUpTo++;
            }
            if (partition.doneUpTo > from) {
                commits.put(tp, new OffsetAndMetadata(partition.offsets.get(partition.doneUpTo - 1) + 1));
            }
        });
        return commits;
    }
}
