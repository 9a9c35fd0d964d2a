package com.answerline.bench.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import com.answerline.avro.Channel;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.SessionState;
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
 * committed.
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

        Map<String, Long> folded = new ConcurrentHashMap<>();
        AtomicLong complete = new AtomicLong();
        AtomicLong lastCompletion = new AtomicLong();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, Object> consumer = harness.kafka().avroConsumer()) {
                harness.kafka().readUntil(consumer, List.of(sessions), from, record -> {
                    if (record.value() instanceof SessionState state && expected.containsKey(state.getConversationId())) {
                        long count = state.getInboundCount();
                        Long previous = folded.put(state.getConversationId(), Math.max(count,
                                folded.getOrDefault(state.getConversationId(), 0L)));
                        if (count == perConversation && (previous == null || previous < perConversation)) {
                            complete.incrementAndGet();
                            lastCompletion.set(System.nanoTime());
                        }
                    }
                }, () -> complete.get() >= settings.conversations(), settings.timeout());
            }
        }, "bench-fold-reader");
        reader.start();

        harness.progress("fold: producing " + events + " inbound messages over " + settings.conversations() + " conversations");
        long start = System.nanoTime();
        try (KafkaProducer<String, Object> producer = harness.kafka().avroProducer()) {
            for (int n = 0; n < events; n++) {
                int i = n % settings.conversations();
                String phone = customers.phone(i);
                Instant now = Instant.now();
                InboundMessage message = message(phoneNumberId, phone, "wamid.bench.fold." + harness.runId() + "." + n, now);
                producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), null, now.toEpochMilli(),
                        message.getConversationId(), message));
            }
            producer.flush();
        }
        long produced = System.nanoTime();
        try {
            reader.join(settings.timeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean all = complete.get() >= settings.conversations();
        long end = all ? lastCompletion.get() : System.nanoTime();
        double seconds = (end - start) / 1e9;
        long foldedEvents = folded.values().stream().mapToLong(Long::longValue).sum();
        harness.report().add(Figure.of(STAGE, "events folded/s (exactly-once, until all on conversation-sessions)",
                foldedEvents / seconds, "/s").atLeast(30_000));
        harness.report().add(Figure.of(STAGE, "batch produced/s (the harness's producer)",
                events / ((produced - start) / 1e9), "/s"));
        harness.report().add(Check.of(STAGE, "every produced message folded exactly once", all
                && folded.values().stream().allMatch(c -> c == perConversation),
                foldedEvents + " of " + events + " folded, " + complete.get() + "/" + settings.conversations()
                        + " conversations complete, none above " + perConversation + ": "
                        + folded.values().stream().noneMatch(c -> c > perConversation)));
    }
}
