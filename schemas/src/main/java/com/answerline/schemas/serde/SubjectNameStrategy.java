package com.answerline.schemas.serde;

import java.util.Locale;

import org.apache.avro.Schema;

/** How a subject name is derived; Confluent's strategies, accepted by their Confluent class names too. */
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

    static SubjectNameStrategy of(Object configured) {
        if (configured == null) {
            return TOPIC_NAME;
        }
        String name = configured instanceof Class<?> c ? c.getSimpleName() : configured.toString().trim();
        String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (simple) {
            case "topicnamestrategy", "topic_name" -> TOPIC_NAME;
            case "recordnamestrategy", "record_name" -> RECORD_NAME;
            case "topicrecordnamestrategy", "topic_record_name" -> TOPIC_RECORD_NAME;
            default -> throw new org.apache.kafka.common.config.ConfigException("subject.name.strategy", configured,
                    "unknown strategy; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
        };
    }
}
