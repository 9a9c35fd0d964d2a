package com.answerline.platform.kafka;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;

import com.answerline.schemas.topic.Topics;

/**
 * Where every service sends the records it cannot process: the raw bytes, unchanged, to the topic's dead-letter twin
 * ({@link Topics#deadLetterOf}), same partition, with the cause in {@code kafka_dlt-exception-*} headers and the origin
 * in {@code kafka_dlt-original-*} headers (Spring Kafka's {@link DeadLetterPublishingRecoverer}). The producer is
 * built from {@code spring.kafka.*} ({@link KafkaClients#producer}), idempotent with {@code acks=all}; keys may be
 * raw bytes (Kafka Streams' handlers) or strings (listeners). Its sends are outside any Streams transaction: a crash
 * right after one may dead-letter the same record twice (at least once).
 *
 * <p>A bean of its own rather than a {@code KafkaTemplate} bean, which would make Boot back off from the service's
 * own template; its producer closes with the context.
 */
public final class DeadLetters implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DefaultKafkaProducerFactory<Object, byte[]> producers;

    public DeadLetters(KafkaProperties kafka) {
        Map<String, Object> config = KafkaClients.producer(kafka);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        Serializer<Object> keys = new DelegatingByTypeSerializer(Map.<Class<?>, Serializer<?>>of(
                byte[].class, new ByteArraySerializer(), String.class, new StringSerializer()));
        this.producers = new DefaultKafkaProducerFactory<>(config, keys, new ByteArraySerializer());
    }

    /** A template writing raw bytes through this producer. */
    public KafkaTemplate<Object, byte[]> template() {
        return new KafkaTemplate<>(producers);
    }

    /** The recoverer of Kafka Streams' deserialization and processing handlers and of listeners' error handlers. */
    public ConsumerRecordRecoverer recoverer() {
        return recoverer(template());
    }

    /** The same rule through any template (tests pass a mock producer's). */
    public static ConsumerRecordRecoverer recoverer(KafkaOperations<?, ?> template) {
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.deadLetterOf(record.topic()), record.partition()));
        return (record, exception) -> {
            // Where and why only: the bytes may hold a customer's number or words.
            log.warn("Record {}-{}@{} could not be processed, sent to {}: {}", record.topic(), record.partition(),
                    record.offset(), Topics.deadLetterOf(record.topic()), exception.toString());
            publisher.accept(record, exception);
        };
    }

    @Override
    public void destroy() {
        producers.destroy();
    }
}
