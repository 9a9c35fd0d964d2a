package com.answerline.ingest.it;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.answerline.ingest.identity.IdentityDirectory;
import com.answerline.schemas.serde.KafkaAvroDeserializer;
import com.answerline.schemas.serde.KafkaAvroSerializer;

/** Helpers shared by the integration tests: Meta-signed payloads, a topic reader and writer, data folders. */
final class TestSupport {

    static final String REGISTRY = "mock://ingest-it";

    private TestSupport() {
    }

    /**
     * A text message from {@code customer} (digits), whose BSUID is {@link #bsuidOf} the number: one BSUID per
     * customer, as on WhatsApp (a BSUID shared by two numbers would join their conversations).
     */
    static String whatsAppText(String phoneNumberId, String customer, String wamid, long unixSeconds, String text) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"200000000000001","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000001","phone_number_id":"%s"},
                 "contacts":[{"profile":{"name":"Ada"},"wa_id":"%s","user_id":"%s"}],
                 "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]}}]}]}
                """.formatted(phoneNumberId, customer, bsuidOf(customer), customer, wamid, unixSeconds, text);
    }

    static String bsuidOf(String customer) {
        return "NL.9" + customer;
    }

    /** Webhooks answer 503 until the customer identity directory is loaded: wait for it (60 s at most). */
    static void awaitIdentityDirectory(IdentityDirectory directory) {
        await().atMost(Duration.ofSeconds(60)).until(directory::queryable);
    }

    /** sha256=<hex> computed here with the JDK, independently of the service's verifier. */
    static String metaSignature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KafkaConsumer<String, Object> consumer(String bootstrap, String topic) {
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class,
                "schema.registry.url", REGISTRY,
                "specific.avro.reader", true));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    static KafkaProducer<String, Object> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                "schema.registry.url", REGISTRY,
                "auto.register.schemas", true));
    }

    /** A new, empty data folder under target/ for one application context (Streams state must not be shared). */
    static String freshDataDir() {
        return Path.of("target", "it-data", UUID.randomUUID().toString()).toAbsolutePath().toString();
    }

    /** Polls until a record matches (30 s at most); returns every record seen, the match among them. */
    static List<ConsumerRecord<String, Object>> awaitRecords(KafkaConsumer<String, Object> consumer,
                                                             Predicate<ConsumerRecord<String, Object>> match) {
        List<ConsumerRecord<String, Object>> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            seen.addAll(poll(consumer));
            return seen.stream().anyMatch(match);
        });
        return seen;
    }

    /**
     * Every record a topic holds right now: all partitions from the beginning up to the end offsets taken first
     * (no consumer group), so "exactly one" can be asserted.
     */
    static List<ConsumerRecord<String, Object>> readToEnd(String bootstrap, String topic) {
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class,
                "schema.registry.url", REGISTRY,
                "specific.avro.reader", true))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, Object>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }

    static List<ConsumerRecord<String, Object>> poll(KafkaConsumer<String, Object> consumer) {
        List<ConsumerRecord<String, Object>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records;
    }
}
