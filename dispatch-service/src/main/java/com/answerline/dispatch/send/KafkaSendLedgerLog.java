package com.answerline.dispatch.send;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.SerializationUtils;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendState;

/**
 * The ledger on a compacted Kafka topic ({@code Topics.SEND_LEDGER}): appends are synchronous produces
 * ({@code acks=all}, idempotent producer) to an explicit partition, replays read one partition with a consumer of its
 * own (no group, nothing committed).
 *
 * <p><b>Migration.</b> Until 2026-12 the ledger was {@code dispatch-send-ledger}, holding {@link DispatchOutcome}
 * values (its registry subject cannot change record type, so the new contract came with a new topic). When that
 * legacy topic exists, each of its partitions is read once per process, before the same partition of the new topic,
 * and its entries converted ({@link SendLedger#fromLegacy}): a send the previous release left SENDING, a result it
 * logged, a message that may still fail over are all found after the upgrade. Nothing writes the legacy topic; once
 * its retention (8 days) has passed since the upgrade, it and this read are deleted.
 */
public final class KafkaSendLedgerLog implements SendLedger.Log, DisposableBean {

    /** Time from handing a ledger entry to the producer until the broker acknowledged it. */
    public static final String APPEND_TIMER = "answerline.dispatch.ledger.append";

    private static final Logger log = LoggerFactory.getLogger(KafkaSendLedgerLog.class);

    private final String topic;
    private final String legacyTopic;
    private final KafkaTemplate<String, SendLedgerEntry> template;
    private final Consumer<String, Object> reader;
    private final Duration timeout;
    private final Timer sendingAppends;
    private final Timer resultAppends;
    private final Set<Integer> legacyRead = new HashSet<>();
    private Boolean legacyExists;

    /**
     * @param legacyTopic the ledger topic of the previous release, read once per partition when it exists; null: none
     * @param reader a consumer without group, used only here (it is not thread-safe; the ledger serializes calls)
     * @param meters where {@value #APPEND_TIMER} goes: its {@code entry=result} timing is the width of the gap
     *               between the provider's answer and the durable result
     */
    public KafkaSendLedgerLog(String topic, String legacyTopic, KafkaTemplate<String, SendLedgerEntry> template,
                              Consumer<String, Object> reader, Duration timeout, MeterRegistry meters) {
        this.topic = topic;
        this.legacyTopic = legacyTopic;
        this.template = template;
        this.reader = reader;
        this.timeout = timeout;
        this.sendingAppends = appendTimer(meters, "sending");
        this.resultAppends = appendTimer(meters, "result");
    }

    private static Timer appendTimer(MeterRegistry meters, String entry) {
        return Timer.builder(APPEND_TIMER)
                .description("Send ledger append until acknowledged (acks=all); entry=result is the at-risk gap")
                .tag("entry", entry)
                .register(meters);
    }

    @Override
    public void append(int partition, String key, SendLedgerEntry entry) {
        Timer.Sample sample = Timer.start();
        try {
            template.send(new ProducerRecord<>(topic, partition, key, entry)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            sample.stop(entry.getState() == SendState.SENDING ? sendingAppends : resultAppends);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the send ledger", e);
        } catch (Exception e) {
            throw new IllegalStateException("send ledger write failed for " + key, e);
        }
    }

    @Override
    public long replay(int partition, long from, BiConsumer<String, SendLedgerEntry> sink) {
        return replayAll(Map.of(partition, from), (p, key, entry) -> sink.accept(key, entry)).get(partition);
    }

    /** Every partition in one pass of the reader (assigned together, one fetch for all), after its legacy entries. */
    @Override
    public Map<Integer, Long> replayAll(Map<Integer, Long> from, SendLedger.PartitionSink sink) {
        for (int partition : from.keySet()) {
            if (legacyTopic != null && legacyRead.add(partition) && legacyExists()) {
                read(legacyTopic, Map.of(partition, 0L), sink);
            }
        }
        return read(topic, from, sink);
    }

    private boolean legacyExists() {
        if (legacyExists == null) {
            legacyExists = reader.listTopics(timeout).containsKey(legacyTopic);
            log.info("legacy send ledger {} {}", legacyTopic, legacyExists ? "found: read once per partition" : "absent");
        }
        return legacyExists;
    }

    private Map<Integer, Long> read(String from, Map<Integer, Long> positions, SendLedger.PartitionSink sink) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        positions.forEach((partition, position) -> starts.put(new TopicPartition(from, partition), position));
        reader.assign(starts.keySet());
        starts.forEach(reader::seek);
        Map<TopicPartition, Long> ends = reader.endOffsets(starts.keySet(), timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Integer> read = new HashMap<>();
        while (behind(ends)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("send ledger " + starts.keySet() + " not restored within " + timeout);
            }
            for (ConsumerRecord<String, Object> record : reader.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                boolean undecodable = record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null;
                Object value = record.value();
                if (!undecodable && (value == null || value instanceof SendLedgerEntry)) {
                    sink.accept(record.partition(), record.key(), (SendLedgerEntry) value);
                    read.merge(tp, 1, Integer::sum);
                } else if (!undecodable && value instanceof DispatchOutcome legacy) {
                    sink.accept(record.partition(), record.key(), SendLedger.fromLegacy(legacy));
                    read.merge(tp, 1, Integer::sum);
                } else {
                    log.warn("send ledger {} offset {}: not a ledger entry, skipped", tp, record.offset());
                }
            }
        }
        Map<Integer, Long> next = new HashMap<>();
        ends.forEach((tp, end) -> {
            log.info("send ledger {} restored from offset {} to {} ({} entries)", tp, starts.get(tp), end,
                    read.getOrDefault(tp, 0));
            next.put(tp.partition(), end);
        });
        return next;
    }

    private boolean behind(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (reader.position(end.getKey(), timeout) < end.getValue()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void destroy() {
        reader.close();
    }

    /** Reader properties: Boot's consumer settings without a group or commits. */
    public static Map<String, Object> readerProperties(Map<String, Object> consumerProperties) {
        Map<String, Object> properties = new java.util.HashMap<>(consumerProperties);
        properties.remove("group.id");
        properties.put("enable.auto.commit", false);
        properties.put("client.id", "dispatch-send-ledger-reader");
        // Reading must never create a topic (the legacy ledger, once deleted, stays deleted).
        properties.put("allow.auto.create.topics", false);
        return properties;
    }
}
