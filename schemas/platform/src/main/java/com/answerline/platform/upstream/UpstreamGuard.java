package com.answerline.platform.upstream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.schemas.topic.Topic;

/**
 * The gate between an upstream-facing topic ({@code inbound-messages}, {@code reply-commands},
 * {@code assignment-changes}, {@code reply-cancellations}, {@code delivery-statuses}) and the state built from it,
 * for the service that owns the topic's processing. Every record read from the topic is, in this order:
 * <ol>
 *   <li><b>dead-lettered</b> when it breaks one of the {@link UpstreamRules}: to the topic's dead-letter twin, with
 *       the rule and the field in {@value #RULE_HEADER} / {@value #FIELD_HEADER} and its origin in
 *       {@code kafka_dlt-original-topic/-partition/-offset}; counted ({@value #REJECTED_METRIC}, by topic and rule)
 *       and logged at WARN without key or value;</li>
 *   <li><b>forwarded</b> when it is on another partition than its conversation's ({@link ConversationPartitioner}):
 *       written again to the same topic, keyed the same, so Java's partitioner puts it on the conversation's
 *       partition, with {@value #FORWARDED_FROM_HEADER}; counted ({@value #FORWARDED_METRIC}). The copy is processed
 *       where the conversation's state lives; the misplaced original is processed nowhere;</li>
 *   <li><b>passed on</b> otherwise.</li>
 * </ol>
 *
 * <p>Why forwarding rather than a repartition topic for everything: librdkafka's default partitioner
 * ({@code consistent_random}, the Python, Go, .NET and Node clients), {@code random} and explicit partitions put
 * records elsewhere, but Java producers (ingest, the gateway, our own services) are right; forwarding costs one
 * murmur2 of the key per record for them and an extra write only for the misplaced, where a repartition step would
 * write and read every record twice. Under exactly-once the forward commits with the consumed offset, so a
 * misplaced record is forwarded once. Each topic has one guarding service (see the topic catalogue's
 * README); other readers of the topic skip misplaced and invalid records ({@link #accepts}).
 *
 * <p>A record already forwarded that is still misplaced (the topic's partition count differs from the one the
 * services were given) is dead-lettered as {@link UpstreamRule#MISPLACED_AFTER_FORWARD}, never forwarded again.
 */
public final class UpstreamGuard {

    public static final String RULE_HEADER = "answerline-upstream-rule";
    public static final String FIELD_HEADER = "answerline-upstream-field";
    public static final String FORWARDED_FROM_HEADER = "answerline-forwarded-from-partition";
    /** The same origin headers Spring Kafka's dead-letter publisher writes, so one tool reads every dead letter. */
    public static final String ORIGINAL_TOPIC_HEADER = "kafka_dlt-original-topic";
    public static final String ORIGINAL_PARTITION_HEADER = "kafka_dlt-original-partition";
    public static final String ORIGINAL_OFFSET_HEADER = "kafka_dlt-original-offset";

    public static final String REJECTED_METRIC = "answerline.upstream.rejected";
    public static final String FORWARDED_METRIC = "answerline.upstream.forwarded";

    private static final Logger log = LoggerFactory.getLogger(UpstreamGuard.class);

    /**
     * @param rules      what a record must satisfy
     * @param partitions the conversation topics' partition count in this deployment; 1 where there is one partition
     *                   only (Kafka Streams' TopologyTestDriver), which turns forwarding off
     * @param meters     receives the counters
     */
    public record Settings(UpstreamRules rules, int partitions, MeterRegistry meters) {
        public Settings {
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(meters, "meters");
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be positive: " + partitions);
            }
        }
    }

    private UpstreamGuard() {
    }

    /**
     * For a reader that does not guard the topic (another service guards it): true when the record is valid and on
     * its conversation's partition, so processing it here is right; otherwise the guarding service dead-letters or
     * forwards it, and this reader skips it.
     */
    public static boolean accepts(Settings settings, String key, SpecificRecord value, int partition) {
        return settings.rules().check(key, value).isEmpty()
                && ConversationPartitioner.partitionOf(key, settings.partitions()) == partition;
    }

    /**
     * Guards {@code source}, read from {@code topic}: adds the dead-letter and forwarding sinks (named after the topic)
     * and returns the records to process.
     */
    public static <V extends SpecificRecord> KStream<String, V> guard(KStream<String, V> source, Topic<V> topic,
                                                                      Serde<V> valueSerde, Settings settings) {
        String name = topic.name();
        Map<String, KStream<String, Verdict<V>>> branches = source
                .processValues(() -> new GuardProcessor<V>(topic.name(), settings), Named.as(name + "-upstream-guard"))
                .split(Named.as(name + "-upstream-"))
                .branch((key, verdict) -> verdict.kind() == Kind.INVALID, Branched.as("invalid"))
                .branch((key, verdict) -> verdict.kind() == Kind.MISPLACED, Branched.as("misplaced"))
                .defaultBranch(Branched.as("accepted"));
        branches.get(name + "-upstream-invalid")
                .mapValues(Verdict::value, Named.as(name + "-invalid-value"))
                .to(topic.deadLetter(), Produced.with(topic.keySerde(), valueSerde).withName(name + "-dead-letters"));
        branches.get(name + "-upstream-misplaced")
                .mapValues(Verdict::value, Named.as(name + "-misplaced-value"))
                .to(name, Produced.with(topic.keySerde(), valueSerde).withName(name + "-forward-to-owner"));
        return branches.get(name + "-upstream-accepted").mapValues(Verdict::value, Named.as(name + "-accepted-value"));
    }

    enum Kind { ACCEPTED, INVALID, MISPLACED }

    /** A record with what the guard decided for it; lives only between the guard and its branches. */
    record Verdict<V>(Kind kind, V value) {
    }

    static final class GuardProcessor<V extends SpecificRecord> implements FixedKeyProcessor<String, V, Verdict<V>> {

        private final String topic;
        private final Settings settings;
        private final Counter forwarded;
        private final Map<UpstreamRule, Counter> rejected = new EnumMap<>(UpstreamRule.class);
        private FixedKeyProcessorContext<String, Verdict<V>> context;

        GuardProcessor(String topic, Settings settings) {
            this.topic = topic;
            this.settings = settings;
            this.forwarded = Counter.builder(FORWARDED_METRIC)
                    .description("Records of an upstream-facing topic found on another partition than their conversation's and written again to it")
                    .tag("topic", topic)
                    .register(settings.meters());
            // Every rule's counter exists from the start at 0: a counter born at 1 with the first dead letter would be
            // invisible to increase() and rate(), and the alert would miss it.
            for (UpstreamRule rule : UpstreamRule.values()) {
                rejected.put(rule, Counter.builder(REJECTED_METRIC)
                        .description("Records of an upstream-facing topic that broke a rule, sent to its dead-letter topic")
                        .tag("topic", topic)
                        .tag("rule", rule.name())
                        .register(settings.meters()));
            }
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Verdict<V>> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, V> record) {
            Optional<RecordMetadata> metadata = context.recordMetadata();
            Optional<UpstreamRules.Violation> violation = settings.rules().check(record.key(), record.value(),
                    Instant.ofEpochMilli(context.currentSystemTimeMs()));
            if (violation.isPresent()) {
                deadLetter(record, metadata, violation.get());
                return;
            }
            int partition = metadata.map(RecordMetadata::partition).orElse(-1);
            int owner = ConversationPartitioner.partitionOf(record.key(), settings.partitions());
            if (partition < 0 || partition == owner) {
                context.forward(record.withValue(new Verdict<>(Kind.ACCEPTED, record.value())));
            } else if (record.headers().lastHeader(FORWARDED_FROM_HEADER) != null) {
                deadLetter(record, metadata, new UpstreamRules.Violation(UpstreamRule.MISPLACED_AFTER_FORWARD, "partition"));
            } else {
                Headers headers = new RecordHeaders(record.headers().toArray());
                headers.add(FORWARDED_FROM_HEADER, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
                forwarded.increment();
                log.debug("Forwarding a record of {} from partition {} to its conversation's partition {}",
                        topic, partition, owner);
                context.forward(record.withValue(new Verdict<>(Kind.MISPLACED, record.value())).withHeaders(headers));
            }
        }

        private void deadLetter(FixedKeyRecord<String, V> record, Optional<RecordMetadata> metadata,
                                UpstreamRules.Violation violation) {
            Headers headers = new RecordHeaders(record.headers().toArray());
            headers.add(RULE_HEADER, violation.rule().name().getBytes(StandardCharsets.UTF_8));
            headers.add(FIELD_HEADER, violation.field().getBytes(StandardCharsets.UTF_8));
            headers.add(ORIGINAL_TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8));
            metadata.ifPresent(origin -> {
                headers.add(ORIGINAL_PARTITION_HEADER, ByteBuffer.allocate(Integer.BYTES).putInt(origin.partition()).array());
                headers.add(ORIGINAL_OFFSET_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(origin.offset()).array());
            });
            rejected.get(violation.rule()).increment();
            if (violation.rule() == UpstreamRule.MISPLACED_AFTER_FORWARD) {
                log.error("A record of {} forwarded once is still off its conversation's partition (on {}): the topic's "
                                + "partition count is not the configured {}; dead-lettered",
                        topic, metadata.map(RecordMetadata::partition).orElse(-1), settings.partitions());
            } else {
                log.warn("Dead-lettered a record of {} (partition {}, offset {}): rule {}, field {}", topic,
                        metadata.map(RecordMetadata::partition).orElse(-1), metadata.map(RecordMetadata::offset).orElse(-1L),
                        violation.rule(), violation.field());
            }
            context.forward(record.withValue(new Verdict<>(Kind.INVALID, record.value())).withHeaders(headers));
        }
    }
}
