package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.answerline.schemas.serde.ApicurioRegistryExtension.ApicurioRegistry;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Interoperability with an independent implementation of the wire format, Confluent's own Python serde
 * (Debian's python3-confluent-kafka, legacy {@code confluent_kafka.avro} API, no broker), through the real
 * registry (Apicurio, Confluent API). Every contract, both directions, and byte equality.
 */
@ExtendWith(ApicurioRegistryExtension.class)
class ConfluentInteropIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConfluentPython python;
    private static final String PYTHON = System.getProperty("interop.python", "/usr/bin/python3");
    private static final Path SCRIPT = Path.of(System.getProperty("interop.script", "src/test/python/confluent_interop.py"));

    @TempDir
    Path tmp;

    static Stream<Arguments> everyContract() {
        return Topics.ALL.stream().flatMap(topic -> Stream.of(Arguments.of(topic, false), Arguments.of(topic, true)));
    }

    @ParameterizedTest(name = "{0} with optional fields null: {1}")
    @MethodSource("everyContract")
    void shouldReadIntoTheGeneratedClassWhatConfluentsPythonSerializerWrote(Topic<?> topic, boolean nulls,
                                                                             ApicurioRegistry registry) throws IOException {
        // Given a record written by Confluent's Python serializer, which registers its schema itself
        SpecificRecord record = ContractSamples.sample(topic.valueType(), nulls);
        String pythonTopic = "python-" + topic.name();
        byte[] theirs = HexFormat.of().parseHex(python("encode", registry.ccompatUrl(), pythonTopic,
                file("schema.avsc", record.getSchema().toString()).toString(), file("record.json", plainJson(record)).toString()));

        // When our deserializer reads it
        Object read = deserializer(registry).deserialize(pythonTopic, theirs);

        // Then it is the generated class with every field equal, and the Avro bodies match byte for byte
        assertThat(read).isInstanceOf(topic.valueType()).isEqualTo(record);
        byte[] ours = serializer(registry).serialize(topic.name(), record);
        assertThat(body(theirs)).isEqualTo(body(ours));
    }

    @ParameterizedTest(name = "{0} with optional fields null: {1}")
    @MethodSource("everyContract")
    void shouldBeReadByConfluentsPythonDeserializer(Topic<?> topic, boolean nulls, ApicurioRegistry registry) throws IOException {
        // Given bytes written by our serializer (schema auto-registered under <topic>-value)
        SpecificRecord record = ContractSamples.sample(topic.valueType(), nulls);
        byte[] ours = serializer(registry).serialize(topic.name(), record);

        // When Confluent's Python deserializer decodes them (looking the id up in the registry)
        JsonNode theirs = JSON.readTree(python("decode", registry.ccompatUrl(), HexFormat.of().formatHex(ours)));

        // Then it sees the same field values
        assertThat(theirs).isEqualTo(JSON.readTree(plainJson(record)));
    }

    @ParameterizedTest(name = "{0} with optional fields null: {1}")
    @MethodSource("everyContract")
    void shouldWriteTheSameBytesAsConfluentsPythonSerializer(Topic<?> topic, boolean nulls, ApicurioRegistry registry) throws IOException {
        // Given our encoding and the registry id it carries
        SpecificRecord record = ContractSamples.sample(topic.valueType(), nulls);
        byte[] ours = serializer(registry).serialize(topic.name(), record);
        int id = java.nio.ByteBuffer.wrap(ours, 1, 4).getInt();

        // When Confluent's Python serializer writes the same record with that registered schema
        String theirs = python("encode-id", registry.ccompatUrl(), String.valueOf(id), file("record.json", plainJson(record)).toString());

        // Then the two encodings are identical, header included
        assertThat(theirs).isEqualTo(HexFormat.of().formatHex(ours));
    }

    private static KafkaAvroSerializer serializer(ApicurioRegistry registry) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.ccompatUrl()), false);
        return serializer;
    }

    private static KafkaAvroDeserializer deserializer(ApicurioRegistry registry) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.ccompatUrl(),
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        return deserializer;
    }

    private static byte[] body(byte[] wire) {
        return Arrays.copyOfRange(wire, 5, wire.length);
    }

    /**
     * The record as plain JSON (unions unwrapped, enums as symbols, timestamps as epoch millis), made with
     * Avro's own writer and generic reader so this test's expectation does not depend on our serde.
     */
    private static String plainJson(SpecificRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            Object generic = new GenericDatumReader<>(record.getSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
            return GenericData.get().toString(generic);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static String python(String... args) throws IOException {
        return python.call(args);
    }

    @BeforeAll
    static void startPython() throws IOException {
        python = new ConfluentPython();
    }

    @AfterAll
    static void stopPython() throws InterruptedException {
        if (python != null) {
            python.close();
        }
    }

    /** One long-lived {@code confluent_interop.py serve} process: Python's start-up is paid once. */
    private static final class ConfluentPython {
        private final Process process;
        private final BufferedWriter requests;
        private final BufferedReader answers;
        private final Path log = Path.of("target", "confluent-interop-python.log");

        ConfluentPython() throws IOException {
            process = new ProcessBuilder(PYTHON, SCRIPT.toString(), "serve").redirectError(log.toFile()).start();
            requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String call(String... args) throws IOException {
            requests.write(JSON.writeValueAsString(Map.of("args", List.of(args))));
            requests.newLine();
            requests.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new AssertionError(PYTHON + " " + SCRIPT + " exited: " + Files.readString(log));
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("error")) {
                throw new AssertionError("Confluent's Python serde failed on " + args[0] + ":\n" + answer.get("error").asText());
            }
            return answer.get("out").asText();
        }

        void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
