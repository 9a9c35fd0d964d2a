package com.answerline.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format: looks the writer schema up by its id and resolves it to the reader's
 * generated class ({@code specific.avro.reader=true}) or to a {@code GenericRecord}. Null bytes are a
 * tombstone and come back as null.
 */
public class KafkaAvroDeserializer implements Deserializer<Object> {

    private final DecoderFactory decoders = DecoderFactory.get();
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private AvroSerdeConfig config;

    public KafkaAvroDeserializer() {
        this(null);
    }

    public KafkaAvroDeserializer(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs, isKey);
        if (client == null) {
            client = SchemaRegistryClients.forUrl(config.registryUrl());
        }
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("deserializer used before configure()");
        }
        int id = WireFormat.schemaId(data, topic);
        DatumReader<Object> reader = readers.computeIfAbsent(id, this::reader);
        try {
            return reader.read(null, decoders.binaryDecoder(data, WireFormat.HEADER_SIZE,
                    data.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read Avro body of schema id " + id + " on topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<Object> reader(int id) {
        Schema writer = client.getById(id);
        if (!config.specificAvroReader()) {
            return new GenericDatumReader<>(writer);
        }
        Class<?> generated = SpecificData.get().getClass(writer);
        if (generated == null) {
            throw new SerializationException("no generated class for " + writer.getFullName()
                    + " (schema id " + id + ") on the classpath; specific.avro.reader needs one");
        }
        return new SpecificDatumReader<>(writer, SpecificData.get().getSchema(generated));
    }
}
