package com.answerline.bench.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
                    message("100000000000001", phone, "wamid.bench.fold.1764820000.123456", Instant.now())).length;
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

    /**
     * The batch: {@code events} text messages of the demo tenant's number, round-robin over the customers, keyed by
     * conversation, as fast as the harness's producer goes (flushed before it returns).
     */
    static void produce(Harness harness, String topic, Customers customers, int events, String wamidPrefix) {
        String phoneNumberId = "100000000000001";
        try (KafkaProducer<String, Object> producer = harness.kafka().avroProducer()) {
            for (int n = 0; n < events; n++) {
                String phone = customers.phone(n % customers.count());
                Instant now = Instant.now();
                InboundMessage message = message(phoneNumberId, phone, wamidPrefix + n, now);
                producer.send(new ProducerRecord<>(topic, null, now.toEpochMilli(), message.getConversationId(), message));
            }
            producer.flush();
        }
    }

    public void run() {
        Customers customers = new Customers(harness.runId() * 4 + 1, settings.conversations());
        String phoneNumberId = "100000000000001";
        int perConversation = settings.events() / settings.conversations();
        int events = perConversation * settings.conversations();
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < settings.conversations(); i++) {
            expected.put(customers.conversation(phoneNumberId, i), perConversation);
        }
        String sessions = Topics.CONVERSATION_SESSIONS.name();
        Map<TopicPartition, Long> from = harness.kafka().endOffsets(List.of(sessions));

        // Until every conversation is at its count (when: the fold's end), then on to the end offsets taken then.
        AtomicLong lastCompletion = new AtomicLong();
        AtomicReference<Map<String, Long>> result = new AtomicReference<>(Map.of());
        Thread reader = new Thread(() -> result.set(FoldedCounts.read(harness, from, expected.keySet(), counts -> {
            boolean complete = counts.size() == expected.size()
                    && counts.values().stream().allMatch(c -> c >= perConversation);
            if (complete) {
                lastCompletion.compareAndSet(0, System.nanoTime());
            }
            return complete;
        }, settings.timeout())), "bench-fold-reader");
        reader.start();

        harness.progress("fold: producing " + events + " inbound messages over " + settings.conversations() + " conversations");
        long start = System.nanoTime();
        produce(harness, Topics.INBOUND_MESSAGES.name(), customers, events, "wamid.bench.fold." + harness.runId() + ".");
        long produced = System.nanoTime();
        try {
            reader.join(settings.timeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Long> folded = result.get();
        boolean all = lastCompletion.get() != 0;
        long end = all ? lastCompletion.get() : System.nanoTime();
        double seconds = (end - start) / 1e9;
        long foldedEvents = folded.values().stream().mapToLong(Long::longValue).sum();
        harness.report().add(Figure.of(STAGE, "events folded/s (exactly-once, until all on conversation-sessions)",
                foldedEvents / seconds, "/s").atLeast(30_000));
        harness.report().add(Figure.of(STAGE, "batch produced/s (the harness's producer)",
                events / ((produced - start) / 1e9), "/s"));
        harness.report().add(foldedOnce(folded, expected.keySet(), perConversation));
    }
}
