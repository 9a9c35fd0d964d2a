package com.answerline.schemas.serde;

import java.io.IOException;
import java.util.List;
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

import com.answerline.schemas.topic.Topics;

/**
 * Reads the Confluent wire format: looks the writer schema up by its id (cached) and resolves it to the
 * reader's generated class ({@code specific.avro.reader=true}) or to a {@code GenericRecord} with the writer's
 * schema. Null bytes are a tombstone and come back as null. The counterpart of Confluent's
 * {@code io.confluent.kafka.serializers.KafkaAvroDeserializer}; ours because Confluent's Java artifacts are
 * not reachable from this build (see {@link KafkaAvroSerializer}).
 *
 * <p>Class trust: Avro 1.12.1's {@link SpecificDatumReader} refuses to load classes named by a schema's
 * {@code java-class} / {@code java-key-class} properties unless their package is trusted, and reads its
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property once, when the class is first loaded (so
 * setting it from here would be too late or would race). Each reader made here therefore trusts
 * {@link #TRUSTED_PACKAGE} through the reader's own trusted-package list, and callers set no system property.
 */
public class KafkaAvroDeserializer implements Deserializer<Object> {

    /** The package of the generated contract classes. */
    public static final String TRUSTED_PACKAGE = "com.answerline.avro";

    private final DecoderFactory decoders = DecoderFactory.get();
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;

    public KafkaAvroDeserializer() {
        this(null);
    }

    /** A deserializer using the given registry client instead of one built from {@code schema.registry.url}. */
    public KafkaAvroDeserializer(SchemaRegistryClient client) {
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
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("deserializer used before configure()");
        }
        int id = WireFormat.schemaId(data, topic);
        DatumReader<Object> reader = readers.get(id);
        if (reader == null) {
            reader = reader(id, topic);
            readers.putIfAbsent(id, reader);
        }
        Object value;
        try {
            value = reader.read(null, decoders.binaryDecoder(data, WireFormat.HEADER_SIZE,
                    data.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read Avro body of schema id " + id + " on topic " + topic
                    + ": " + e.getMessage(), e);
        }
        return checkedType(value, id, topic);
    }

    /**
     * A well-formed record of another contract (say, a session state produced to inbound-messages) would otherwise
     * reach code that casts it and fail there, outside the dead-letter path, on every retry: with the specific
     * reader, a topic of the catalogue carries only its declared type, and anything else is a deserialization
     * error like any undecodable record.
     */
    private Object checkedType(Object value, int id, String topic) {
        if (!config.specificAvroReader() || isKey) {
            return value;
        }
        Class<?> declared = Topics.valueTypeOf(topic);
        if (declared != null && !declared.isInstance(value)) {
            throw new SerializationException("topic " + topic + " carries " + declared.getSimpleName()
                    + " records; this one (schema id " + id + ") is " + value.getClass().getSimpleName());
        }
        return value;
    }

    private DatumReader<Object> reader(int id, String topic) {
        Schema writer;
        try {
            writer = client.getById(id);
        } catch (SchemaRegistryException e) {
            throw new SchemaRegistryException(e.status(), e.errorCode(), "cannot read record on topic " + topic
                    + ": writer schema id " + id + ": " + e.getMessage(), e.retriable(), e);
        }
        if (!config.specificAvroReader()) {
            return new GenericDatumReader<>(writer);
        }
        Class<?> generated = generatedClass(writer);
        if (generated == null) {
            throw new SerializationException("no generated class for " + writer.getFullName() + " (schema id " + id
                    + ", topic " + topic + ") on the classpath; specific.avro.reader=true needs one");
        }
        return specificReader(writer, SpecificData.get().getSchema(generated));
    }

    /** A specific reader that trusts the contract package (see the class comment). */
    static SpecificDatumReader<Object> specificReader(Schema writer, Schema reader) {
        SpecificDatumReader<Object> datumReader = new SpecificDatumReader<>(writer, reader);
        List<String> trusted = datumReader.getTrustedPackages();
        boolean trustsAll = trusted.size() == 1 && "*".equals(trusted.get(0));
        if (!trustsAll && !trusted.contains(TRUSTED_PACKAGE)) {
            trusted.add(TRUSTED_PACKAGE);
        }
        return datumReader;
    }

    private static Class<?> generatedClass(Schema writer) {
        Class<?> found = SpecificData.get().getClass(writer);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (found == null && context != null) {
            found = new SpecificData(context).getClass(writer);
        }
        return found;
    }
}
