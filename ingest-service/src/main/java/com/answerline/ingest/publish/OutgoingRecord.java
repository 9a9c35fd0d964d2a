package com.answerline.ingest.publish;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;

import com.answerline.schemas.topic.Topic;

/**
 * One record to publish: the typed topic, the conversation id as key, and the event time as the record
 * timestamp (the customer's send time for inbound messages, so time-based processing downstream follows
 * WhatsApp's clock, not ours).
 *
 * @param deadLetter true to publish to the topic's dead-letter twin instead ({@link #deadLetter(String, String)})
 * @param headers    record headers (UTF-8 values); the cause of a dead letter
 */
public record OutgoingRecord<V extends SpecificRecord>(Topic<V> topic, String key, Instant timestamp, V value,
                                                       boolean deadLetter, Map<String, String> headers) {

    /** Spring Kafka's header names for a dead letter's cause, as its own recoverers write them. */
    public static final String DLT_EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    public static final String DLT_ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    /** A short, stable reason code (also the metric's {@code reason}), beside the human-readable message. */
    public static final String DLT_REASON = "answerline_dlt-reason";

    public OutgoingRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(value, "value");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    public OutgoingRecord(Topic<V> topic, String key, Instant timestamp, V value) {
        this(topic, key, timestamp, value, false, Map.of());
    }

    /** The topic name the record goes to: the topic itself, or its dead-letter twin. */
    public String destination() {
        return deadLetter ? topic.deadLetter() : topic.name();
    }

    /**
     * The same record sent to the topic's dead-letter twin with its cause: for a record that must not reach the
     * topic's consumers but must not be lost either.
     *
     * @param reason  short code, e.g. {@code invalid-customer-number}
     * @param message what is wrong, naming the field
     */
    public OutgoingRecord<V> deadLetter(String reason, String message) {
        return new OutgoingRecord<>(topic, key, timestamp, value, true, Map.of(
                DLT_REASON, reason, DLT_EXCEPTION_MESSAGE, message, DLT_ORIGINAL_TOPIC, topic.name()));
    }
}
