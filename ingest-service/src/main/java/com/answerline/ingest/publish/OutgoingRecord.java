package com.answerline.ingest.publish;

import java.time.Instant;
import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;

import com.answerline.schemas.topic.Topic;

/**
 * One record to publish: the typed topic, the conversation id as key, and the event time as the record
 * timestamp (the customer's send time for inbound messages, so time-based processing downstream follows
 * WhatsApp's clock, not ours).
 */
public record OutgoingRecord<V extends SpecificRecord>(Topic<V> topic, String key, Instant timestamp, V value) {

    public OutgoingRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(value, "value");
    }
}
