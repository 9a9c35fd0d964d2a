package com.answerline.schemas.serde;

import java.util.Locale;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a subject name is derived from the topic and the record. Configured by Confluent's class names
 * ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy}, {@code ...RecordNameStrategy},
 * {@code ...TopicRecordNameStrategy}) or by their simple names.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-value} / {@code <topic>-key}: Confluent's default. */
    TOPIC_NAME,
    /** The record's full name. */
    RECORD_NAME,
    /** {@code <topic>-<full record name>}. */
    TOPIC_RECORD_NAME;

    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
            case RECORD_NAME -> schema.getFullName();
            case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
        };
    }

    static SubjectNameStrategy of(String property, Object configured) {
        if (configured == null) {
            return TOPIC_NAME;
        }
        String name = configured instanceof Class<?> c ? c.getName() : configured.toString().trim();
        String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (simple) {
            case "topicnamestrategy", "topic_name" -> TOPIC_NAME;
            case "recordnamestrategy", "record_name" -> RECORD_NAME;
            case "topicrecordnamestrategy", "topic_record_name" -> TOPIC_RECORD_NAME;
            default -> throw new ConfigException(property, configured,
                    "unknown strategy; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
        };
    }
}
