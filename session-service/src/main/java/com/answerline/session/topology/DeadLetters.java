package com.answerline.session.topology;

import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * Where records this service cannot read go: the raw bytes, unchanged, to the source topic's dead-letter
 * twin from the catalogue, same partition, with the cause in {@code kafka_dlt-exception-*} headers and the
 * origin in {@code kafka_dlt-original-*} headers.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * A recoverer publishing through {@code template} (byte[] serializers). The send is outside the Streams
     * transaction: a crash right after it may publish the same poison record twice (at least once).
     */
    public static ConsumerRecordRecoverer publishingTo(KafkaOperations<byte[], byte[]> template) {
        return new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(deadLetterTopicOf(record.topic()), record.partition()));
    }

    /** The catalogue's dead-letter twin of {@code topic}. */
    public static String deadLetterTopicOf(String topic) {
        return Topics.ALL.stream()
                .filter(t -> t.name().equals(topic))
                .map(Topic::deadLetter)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not in the topic catalogue: " + topic));
    }
}
