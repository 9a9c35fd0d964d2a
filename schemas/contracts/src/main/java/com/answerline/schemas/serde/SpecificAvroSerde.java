package com.answerline.schemas.serde;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of generated Avro classes in the Confluent wire format, for Kafka Streams; the counterpart of
 * Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final KafkaAvroSerializer serializer;
    private final KafkaAvroDeserializer deserializer;

    public SpecificAvroSerde() {
        this(null);
    }

    /** A serde sharing the given client (tests); null creates one from the configuration. */
    public SpecificAvroSerde(SchemaRegistryClient client) {
        this.serializer = new KafkaAvroSerializer(client);
        this.deserializer = new KafkaAvroDeserializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> specific = new java.util.HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        serializer.configure(specific, isKey);
        deserializer.configure(specific, isKey);
    }

    @SuppressWarnings("unchecked")
    @Override
    public Serializer<T> serializer() {
        return (Serializer<T>) (Serializer<?>) serializer;
    }

    @SuppressWarnings("unchecked")
    @Override
    public Deserializer<T> deserializer() {
        return (Deserializer<T>) (Deserializer<?>) deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
