package com.answerline.bench.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import com.answerline.avro.Channel;
import com.answerline.avro.InboundMessage;
import com.answerline.bench.report.Check;
import com.answerline.bench.report.Figure;
import com.answerline.bench.traffic.Customers;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.KafkaAvroSerializer;
import com.answerline.schemas.topic.Topics;

/**
 * Fold: a large batch of {@code InboundMessage}s produced straight to {@code inbound-messages} (as an upstream
 * system may), as fast as the producer goes, then the time until {@code conversation-sessions} shows every one
 * of them folded: each conversation's {@code inboundCount} at the number of messages it was sent. session-service
 * runs exactly-once (read, fold and write in one transaction), and this reads read_committed, so what it counts is
 * committed. Having seen every conversation at its count, it reads on to the topic's end offsets taken then: a
 * message folded twice shows as a count above the expected one.
 */
public final class FoldStage {

    static final String STAGE = "fold";

    /** @param events messages in the batch; @param conversations how many conversations they are spread over */
    public record Settings(int events, int conversations, Duration timeout) {
    }

    private final Harness harness;
    private final Settings settings;

    public FoldStage(Harness harness, Settings settings) {
        this.harness = harness;
        this.settings = settings;
    }

    /** A customer's text message as ingest writes it for a WhatsApp webhook (the fields a text webhook fills). */
    public static InboundMessage message(String phoneNumberId, String phone, String wamid, Instant now) {
        return InboundMessage.newBuilder()
                .setTenantId("demo")
                .setConversationId(phoneNumberId + ":" + phone)
                .setPhoneNumberId(phoneNumberId)
                .setChannel(Channel.WHATSAPP)
                .setMessageId(wamid)
                .setCustomerPhone(phone)
                .setCustomerBsuid(Customers.bsuidOf(phone))
                .setCustomerProfileName("Bench Customer")
                .setType("text")
                .setText("bench message")
                .setSentAt(now)
                .setReceivedAt(now)
                .build();
    }

    /**
     * The size of such a record's value on the wire (5-byte header + Avro body), serialized through the stack's
     * registry: the record size of the raw-Kafka baseline.
     */
    public static int recordBytes(String registry) {
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry), false);
            String phone = new Customers(0, 1).phone(0);
            return serializer.serialize(Topics.INBOUND_MESSAGES.name(),
                    message(PHONE_NUMBER_ID, phone, "wamid.bench.fold.1764820000.123456", Instant.now())).length;
        }
    }

    /**
     * Every conversation's count exactly at what it was sent, read to the end offsets after the load: a count below
     * is a loss, above a double fold.
     */
    static Check foldedOnce(Map<String, Long> folded, java.util.Set<String> conversations, int perConversation) {
        long complete = conversations.stream().filter(c -> folded.getOrDefault(c, 0L) >= perConversation).count();
        long above = conversations.stream().filter(c -> folded.getOrDefault(c, 0L) > perConversation).count();
        long foldedEvents = conversations.stream().mapToLong(c -> folded.getOrDefault(c, 0L)).sum();
        boolean exact = conversations.stream().allMatch(c -> folded.getOrDefault(c, 0L) == perConversation);
        return Check.of(STAGE, "every produced message folded exactly once", exact, foldedEvents + " of "
                + (long) perConversation * conversations.size() + " folded, " + complete + "/" + conversations.size()
                + " conversations complete, " + above + " above " + perConversation + " (folded twice)");
    }

    /** The demo tenant's number: every message of the batch is to it. */
    static final String PHONE_NUMBER_ID = "100000000000001";

    /**
     * A batch timed through a fold: every conversation's count as the fold's output showed it (read on to its end
     * offsets), the conversations and what each expects, and the rates.
     *
     * @param foldedPerSecond   counted events per second, from the first record produced until every conversation was
     *                          at its count (or until the reader gave up)
     * @param producedPerSecond the harness's producer
     */
    record Timed(Map<String, Long> counts, Set<String> conversations, int perConversation, double foldedPerSecond,
                 double producedPerSecond) {

        /** Every produced message counted exactly once. */
        Check foldedOnce() {
            return FoldStage.foldedOnce(counts, conversations, perConversation);
        }
    }

    /**
     * Produces {@code settings}' batch (its events round-robin over its conversations, the run's customers) to
     * {@code topic}, while {@code read} follows the fold's output on a thread of its own: given the conversations and
     * the condition "every conversation at its count", it must read until that holds (or it gives up) and then on to
     * the end offsets taken then (as {@link FoldedCounts#read} does). The fold session-service runs and its baseline
     * ({@link FoldBaseline}) are timed alike by this.
     */
    static Timed timed(Harness harness, Settings settings, String topic, String label,
                       BiFunction<Set<String>, Predicate<Map<String, Long>>, Map<String, Long>> read) {
        Customers customers = new Customers(harness.runId() * 4 + 1, settings.conversations());
        int perConversation = settings.events() / settings.conversations();
        int events = perConversation * settings.conversations();
        Set<String> conversations = new HashSet<>();
        for (int i = 0; i < settings.conversations(); i++) {
            conversations.add(customers.conversation(PHONE_NUMBER_ID, i));
        }

        // Until every conversation is at its count (when: the fold's end), then on to the end offsets taken then.
        AtomicLong lastCompletion = new AtomicLong();
        AtomicReference<Map<String, Long>> result = new AtomicReference<>(Map.of());
        Thread reader = new Thread(() -> result.set(read.apply(conversations, counts -> {
            boolean complete = counts.size() == conversations.size()
                    && counts.values().stream().allMatch(c -> c >= perConversation);
            if (complete) {
                lastCompletion.compareAndSet(0, System.nanoTime());
            }
            return complete;
        })), "bench-" + label.replace(' ', '-') + "-reader");
        reader.start();

        harness.progress(label + ": producing " + events + " inbound messages over " + settings.conversations()
                + " conversations");
        long start = System.nanoTime();
        String wamidPrefix = "wamid.bench." + label.replace(' ', '-') + "." + harness.runId() + ".";
        try (KafkaProducer<String, Object> producer = harness.kafka().avroProducer()) {
            for (int n = 0; n < events; n++) {
                String phone = customers.phone(n % customers.count());
                Instant now = Instant.now();
                InboundMessage message = message(PHONE_NUMBER_ID, phone, wamidPrefix + n, now);
                producer.send(new ProducerRecord<>(topic, null, now.toEpochMilli(), message.getConversationId(), message));
            }
            producer.flush();
        }
        long produced = System.nanoTime();
        try {
            reader.join(settings.timeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Long> folded = result.get();
        long end = lastCompletion.get() != 0 ? lastCompletion.get() : System.nanoTime();
        long foldedEvents = folded.values().stream().mapToLong(Long::longValue).sum();
        return new Timed(folded, conversations, perConversation, foldedEvents / ((end - start) / 1e9),
                events / ((produced - start) / 1e9));
    }

    public void run() {
        Map<TopicPartition, Long> from = harness.kafka().endOffsets(List.of(Topics.CONVERSATION_SESSIONS.name()));
        Timed fold = timed(harness, settings, Topics.INBOUND_MESSAGES.name(), STAGE,
                (conversations, reached) -> FoldedCounts.read(harness, from, conversations, reached, settings.timeout()));
        harness.report().add(Figure.of(STAGE, "events folded/s (exactly-once, until all on conversation-sessions)",
                fold.foldedPerSecond(), "/s").atLeast(30_000));
        harness.report().add(Figure.of(STAGE, "batch produced/s (the harness's producer)", fold.producedPerSecond(),
                "/s"));
        harness.report().add(fold.foldedOnce());
    }
}
