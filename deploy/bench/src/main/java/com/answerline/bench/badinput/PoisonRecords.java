package com.answerline.bench.badinput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

import com.answerline.bench.stage.Harness;
import com.answerline.bench.traffic.Json;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * Poison records on every topic a service consumes, all on one partition (the good conversation's, so the good
 * records produced after them have to get past them): bytes that are not the wire format, an unknown schema id,
 * a valid schema id with a truncated body, a well-formed record of another topic's type, and (on topics that are
 * not compacted, where a null value means nothing) a null value. Then the dead-letter twins are read back: every
 * poison record but the null must be there under its key, with the cause in a {@code *exception*} header.
 */
final class PoisonRecords {

    /** One poison record: where, what kind, under which key. */
    record Poison(String topic, String kind, String key, byte[] value) {
    }

    /** What a poison record became: on the dead-letter twin (copies, one cause) or not. */
    record Fate(Poison poison, int copies, String cause) {
    }

    /** The topics services consume, with who reads them (the report says it). */
    static final Map<Topic<?>, String> CONSUMED = consumed();

    private static Map<Topic<?>, String> consumed() {
        Map<Topic<?>, String> consumed = new LinkedHashMap<>();
        consumed.put(Topics.INBOUND_MESSAGES, "session");
        consumed.put(Topics.DELIVERY_STATUSES, "session, dispatch sender");
        consumed.put(Topics.ASSIGNMENT_CHANGES, "session");
        consumed.put(Topics.REPLY_COMMANDS, "dispatch decision");
        consumed.put(Topics.REPLY_CANCELLATIONS, "dispatch decision");
        consumed.put(Topics.CONVERSATION_SESSIONS, "dispatch decision (table), ingest live feed");
        consumed.put(Topics.SEND_REQUESTS, "dispatch sender");
        consumed.put(Topics.DISPATCH_OUTCOMES, "session, dispatch decision and metrics, ingest outcomes and live feed");
        consumed.put(Topics.CUSTOMER_IDENTITIES, "ingest (global table)");
        consumed.put(Topics.REPLY_ACCEPTANCES, "ingest (global table)");
        consumed.put(Topics.CONVERSATION_MESSAGES, "ingest outcomes (sends only: a record without the direction header is decoded)");
        return consumed;
    }

    private final Harness harness;
    private final int partition;
    private final String tag;

    /**
     * @param partition the partition every poison record goes to (the good conversation's)
     * @param tag       makes this run's keys unique
     */
    PoisonRecords(Harness harness, int partition, String tag) {
        this.harness = harness;
        this.partition = partition;
        this.tag = tag;
    }

    static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topics.CONVERSATION_PARTITIONS;
    }

    /** Where each dead-letter twin ends now: read from there afterwards. */
    Map<TopicPartition, Long> deadLetterMarks() {
        return harness.kafka().endOffsets(CONSUMED.keySet().stream().map(Topic::deadLetter).toList());
    }

    /** Produces the poison records; returns them. */
    List<Poison> produce() {
        byte[] session = sample(Topics.CONVERSATION_SESSIONS.name());
        byte[] inbound = sample(Topics.INBOUND_MESSAGES.name());
        List<Poison> poisons = new ArrayList<>();
        for (Topic<?> topic : CONSUMED.keySet()) {
            String name = topic.name();
            poisons.add(poison(name, "not-wire-format", ("poison " + tag + " " + name).getBytes(StandardCharsets.UTF_8)));
            poisons.add(poison(name, "unknown-schema-id", wire(0x7ffffff0, ("poison " + tag).getBytes(StandardCharsets.UTF_8))));
            schemaId(name + "-value").ifPresent(id -> poisons.add(poison(name, "truncated-avro", wire(id, new byte[] {(byte) 0x80}))));
            byte[] other = topic == Topics.CONVERSATION_SESSIONS ? inbound : session;
            if (other != null) {
                poisons.add(poison(name, "another-topic's-record", other));
            }
            if (!topic.compacted()) {
                poisons.add(poison(name, "null-value", null));
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = harness.kafka().bytesProducer()) {
            for (Poison p : poisons) {
                producer.send(new ProducerRecord<>(p.topic(), partition, p.key().getBytes(StandardCharsets.UTF_8), p.value()));
            }
            producer.flush();
        }
        return poisons;
    }

    /** Reads the dead-letter twins from the marks until every poison record that should be there is, or timeout. */
    List<Fate> fates(List<Poison> poisons, Map<TopicPartition, Long> marks, Duration timeout) {
        Map<String, Poison> byKey = new HashMap<>();
        poisons.forEach(p -> byKey.put(p.topic() + "-dlt/" + p.key(), p));
        Map<String, Integer> copies = new HashMap<>();
        Map<String, String> causes = new HashMap<>();
        long expected = poisons.stream().filter(p -> p.value() != null).count();
        try (KafkaConsumer<byte[], byte[]> consumer = harness.kafka().bytesConsumer()) {
            harness.kafka().readUntil(consumer, CONSUMED.keySet().stream().map(Topic::deadLetter).toList(), marks,
                    (ConsumerRecord<byte[], byte[]> r) -> {
                        String id = r.topic() + "/" + (r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
                        if (byKey.containsKey(id)) {
                            copies.merge(id, 1, Integer::sum);
                            causes.putIfAbsent(id, cause(r));
                        }
                    }, () -> byKey.entrySet().stream().filter(e -> e.getValue().value() != null)
                            .filter(e -> copies.containsKey(e.getKey())).count() == expected, timeout);
        }
        List<Fate> fates = new ArrayList<>();
        byKey.forEach((id, p) -> fates.add(new Fate(p, copies.getOrDefault(id, 0), causes.get(id))));
        fates.sort(java.util.Comparator.comparing((Fate f) -> f.poison().topic()).thenComparing(f -> f.poison().kind()));
        return fates;
    }

    private Poison poison(String topic, String kind, byte[] value) {
        // A key of its own (so its dead letter is found by key) that still lands on the chosen partition.
        for (int n = 0; ; n++) {
            String key = "100000000000001:poison." + tag + "." + topic + "." + kind + "." + n;
            if (partitionOf(key) == partition) {
                return new Poison(topic, kind, key, value);
            }
        }
    }

    /** The Confluent wire format: magic byte 0, the schema id, the Avro body. */
    private static byte[] wire(int schemaId, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
    }

    /** The value bytes of one record of the topic (a well-formed record of its type), or null when it is empty. */
    private byte[] sample(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = harness.kafka().bytesConsumer()) {
            byte[][] found = new byte[1][];
            harness.kafka().readUntil(consumer, List.of(topic), Map.of(), r -> {
                if (found[0] == null && r.value() != null) {
                    found[0] = r.value();
                }
            }, () -> found[0] != null, Duration.ofSeconds(10));
            return found[0];
        }
    }

    private Optional<Integer> schemaId(String subject) {
        Json.Answer answer = harness.json().get(harness.endpoints().registry() + "/subjects/" + subject + "/versions/latest");
        return answer.ok() ? Optional.of(answer.json().path("id").asInt()) : Optional.empty();
    }

    /** The dead letter's cause: the first header naming an exception (Spring's kafka_dlt-exception-*, ...). */
    private static String cause(ConsumerRecord<byte[], byte[]> record) {
        for (Header header : record.headers()) {
            if (header.key().toLowerCase().contains("exception") && header.value() != null && header.value().length > 0
                    && !header.key().contains("stacktrace") && !header.key().contains("fqcn")) {
                String value = new String(header.value(), StandardCharsets.UTF_8);
                return header.key() + ": " + value.substring(0, Math.min(160, value.length()));
            }
        }
        return null;
    }
}
