package com.answerline.bench.stage;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.answerline.avro.SessionState;
import com.answerline.bench.kafka.Kafka;
import com.answerline.schemas.topic.Topics;

/**
 * Each conversation's folded inbound count as {@code conversation-sessions} shows it (the highest {@code inboundCount}
 * read): what the fold, fault and bad-input checks compare with the messages sent. Reading stops at a condition (every
 * conversation reached its count) only to take the topic's end offsets <b>then</b> and read on to them: a message
 * folded twice shows as a count above the expected one, and that record may be committed after the counts were first
 * reached; a check that stopped at the condition would never see it.
 */
public final class FoldedCounts {

    private FoldedCounts() {
    }

    /** Against the stack: {@code from} the marks taken before the load, the end offsets of the topic after it. */
    public static Map<String, Long> read(Harness harness, Map<TopicPartition, Long> from, Set<String> conversations,
                                         Predicate<Map<String, Long>> reached, Duration timeout) {
        try (KafkaConsumer<String, Object> consumer = harness.kafka().avroConsumer()) {
            return read(consumer, from, conversations, reached,
                    () -> harness.kafka().endOffsets(List.of(Topics.CONVERSATION_SESSIONS.name())), timeout);
        }
    }

    /**
     * Reads {@code conversation-sessions} from {@code from} (every partition named) until {@code reached} holds for the
     * counts or {@code timeout} passes, then on to the end offsets {@code endsAfter} gives at that moment.
     */
    public static Map<String, Long> read(Consumer<String, Object> consumer, Map<TopicPartition, Long> from,
                                         Set<String> conversations, Predicate<Map<String, Long>> reached,
                                         Supplier<Map<TopicPartition, Long>> endsAfter, Duration timeout) {
        return read(consumer, from, conversations, reached, endsAfter, timeout,
                record -> record.value() instanceof SessionState s
                        ? Map.entry(s.getConversationId(), s.getInboundCount()) : null);
    }

    /**
     * {@link #read} of any topic of counts: {@code count} gives a record's conversation and count, or null for a
     * record that is not one (the fold baseline's output: the key and a long).
     */
    public static <V> Map<String, Long> read(Consumer<String, V> consumer, Map<TopicPartition, Long> from,
                                             Set<String> conversations, Predicate<Map<String, Long>> reached,
                                             Supplier<Map<TopicPartition, Long>> endsAfter, Duration timeout,
                                             Function<ConsumerRecord<String, V>, Map.Entry<String, Long>> count) {
        Map<String, Long> counts = new HashMap<>();
        java.util.function.Consumer<ConsumerRecord<String, V>> sink = record -> {
            Map.Entry<String, Long> c = count.apply(record);
            if (c != null && conversations.contains(c.getKey())) {
                counts.merge(c.getKey(), c.getValue(), Math::max);
            }
        };
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached.test(counts) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(sink);
        }
        Kafka.readTo(consumer, endsAfter.get(), sink, timeout);
        return counts;
    }

    /** A condition for {@link #read}: every conversation's count grew by at least what it expects above its base. */
    public static Predicate<Map<String, Long>> grewBy(Map<String, Long> expected, Map<String, Long> base) {
        return counts -> expected.entrySet().stream().allMatch(e -> counts.getOrDefault(e.getKey(),
                base.getOrDefault(e.getKey(), 0L)) - base.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }
}
