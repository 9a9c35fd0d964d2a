package com.answerline.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, byte for byte what Confluent's
 * {@code io.confluent.kafka.serializers.KafkaAvroSerializer} writes: magic byte 0, the schema id as a
 * 4-byte big-endian int, the Avro binary body. A null record is written as null (a tombstone) without
 * asking the registry.
 *
 * <p>Why ours: Confluent's Java artifacts (io.confluent) are not served by the Maven registries this project
 * builds from. It is kept small and reads Confluent's property names, so Confluent's class can replace it by
 * configuration alone. Schema id resolution follows Confluent's precedence: {@code auto.register.schemas}
 * (default), else {@code use.latest.version} (the record is written with the latest registered schema,
 * which must be able to read the record's own schema), else a look-up without registering.
 */
public class KafkaAvroSerializer implements Serializer<Object> {

    private final EncoderFactory encoders = EncoderFactory.get();
    private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;

    public KafkaAvroSerializer() {
        this(null);
    }

    /** A serializer using the given registry client instead of one built from {@code schema.registry.url}. */
    public KafkaAvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs, isKey);
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClients.forConfig(config);
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
            throw new SerializationException("cannot serialize " + record.getClass().getName()
                    + " on topic " + topic + ": not an Avro record");
        }
        Schema schema = container.getSchema();
        String subject = config.subjectNameStrategy().subject(topic, isKey, schema);
        if (config.autoRegisterSchemas()) {
            return write(client.register(subject, schema), schema, record);
        }
        if (config.useLatestVersion()) {
            SchemaRegistryClient.RegisteredSchema latest = client.getLatest(subject);
            if (latest.schema().equals(schema)) {
                return write(latest.id(), schema, record);
            }
            return write(latest.id(), latest.schema(), toLatest(record, schema, latest, subject));
        }
        return write(client.getId(subject, schema), schema, record);
    }

    private byte[] write(int id, Schema schema, Object record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            WireFormat.writeHeader(out, id);
            BinaryEncoder encoder = encoders.directBinaryEncoder(out, null);
            writer(schema, record).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getFullName() + " as Avro: " + e.getMessage(), e);
        }
    }

    /**
     * Re-shapes the record to the latest registered schema through Avro's schema resolution (by field name,
     * defaults filled in). Confluent's serializer writes the record positionally with the latest schema; this
     * gives the same bytes when the schemas agree and correct ones when fields were reordered.
     */
    private Object toLatest(Object record, Schema own, SchemaRegistryClient.RegisteredSchema latest, String subject) {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), own);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("latest schema of subject " + subject + " (id " + latest.id()
                    + ") cannot read records of " + own.getFullName() + ": " + compatibility.getDescription());
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            BinaryEncoder encoder = encoders.directBinaryEncoder(out, null);
            writer(own, record).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<>(own, latest.schema())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot convert " + own.getFullName() + " to the latest schema of "
                    + subject + ": " + e.getMessage(), e);
        }
    }

    private DatumWriter<Object> writer(Schema schema, Object record) {
        // SpecificDatumWriter uses the generated class's model, which carries the logical-type conversions
        // (java.time.Instant for timestamp-millis); generic records carry the raw long.
        return record instanceof SpecificRecord
                ? specificWriters.computeIfAbsent(schema, SpecificDatumWriter::new)
                : genericWriters.computeIfAbsent(schema, GenericDatumWriter::new);
    }
}
