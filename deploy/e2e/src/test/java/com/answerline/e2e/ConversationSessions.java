package com.answerline.e2e;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the conversation-sessions topic by key: once session-service has published a session for a
 * conversation, the agent's reply is routed against that window, not against "no session yet".
 * Values are not decoded; the key (the conversation id, plain UTF-8) is the whole contract used here.
 */
final class ConversationSessions implements AutoCloseable {

    private static final String TOPIC = "conversation-sessions";

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> seen = new HashSet<>();

    ConversationSessions() {
        String bootstrap = "127.0.0.1:" + System.getenv().getOrDefault("ANSWERLINE_KAFKA_PORT", "9092");
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "e2e-session-watch"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(TOPIC, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** True once a session record for this conversation has been published (polls for new records). */
    boolean hasSession(String conversationId) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            seen.add(record.key());
        }
        return seen.contains(conversationId);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
