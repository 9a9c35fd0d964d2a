package com.answerline.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, byte for byte what Confluent's
 * {@code io.confluent.kafka.serializers.KafkaAvroSerializer} writes. A null record is written as null
 * (a tombstone) without asking the registry.
 *
 * <p>Ours because Confluent's Java artifacts are not on the registries this project builds from; it reads
 * Confluent's property names, so Confluent's class can replace it by configuration alone.
 */
public class KafkaAvroSerializer implements Serializer<Object> {

    private final EncoderFactory encoders = EncoderFactory.get();
    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;

    public KafkaAvroSerializer() {
        this(null);
    }

    public KafkaAvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs, isKey);
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClients.forUrl(config.registryUrl());
        }
    }

    @Override
    public byte[] serialize(String topic, Object record) {
        if (record == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("serializer used before configure()");
        }
        if (!(record instanceof GenericContainer container)) {
            throw new SerializationException("cannot serialize " + record.getClass().getName() + ": not an Avro record");
        }
        Schema schema = container.getSchema();
        String subject = config.subjectNameStrategy().subject(topic, isKey, schema);
        int id;
        if (config.useLatestVersion()) {
            id = client.getLatest(subject).id();
        } else if (config.autoRegisterSchemas()) {
            id = client.register(subject, schema);
        } else {
            id = client.getId(subject, schema);
        }
        return write(id, schema, record);
    }

    private byte[] write(int id, Schema schema, Object record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            out.write(WireFormat.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = encoders.directBinaryEncoder(out, null);
            writer(schema, record).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getFullName() + " as Avro: " + e.getMessage(), e);
        }
    }

    private static DatumWriter<Object> writer(Schema schema, Object record) {
        return record instanceof SpecificRecord ? new SpecificDatumWriter<>(schema) : new GenericDatumWriter<>(schema);
    }
}
