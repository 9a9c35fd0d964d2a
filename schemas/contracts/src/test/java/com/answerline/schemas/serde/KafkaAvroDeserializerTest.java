package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import com.answerline.avro.AssignmentChanged;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

class KafkaAvroDeserializerTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private KafkaAvroSerializer serializer() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer(registry);
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://unused"), false);
        return serializer;
    }

    private KafkaAvroDeserializer deserializer(boolean specific) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer(registry);
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://unused",
                AvroSerdeConfig.SPECIFIC_AVRO_READER, String.valueOf(specific)), false);
        return deserializer;
    }

    static Stream<Arguments> everyContract() {
        return Topics.ALL.stream().flatMap(topic -> Stream.of(
                Arguments.of(topic, false), Arguments.of(topic, true)));
    }

    @ParameterizedTest(name = "{0} with optional fields null: {1}")
    @MethodSource("everyContract")
    void shouldRoundTripEveryContractWithTheSpecificReader(Topic<?> topic, boolean nulls) {
        // Given a sample of the topic's contract
        SpecificRecord record = ContractSamples.sample(topic.valueType(), nulls);

        // When
        Object read = deserializer(true).deserialize(topic.name(), serializer().serialize(topic.name(), record));

        // Then the generated class comes back, equal field by field
        assertThat(read).isInstanceOf(topic.valueType()).isEqualTo(record);
    }

    @ParameterizedTest(name = "{0} with optional fields null: {1}")
    @MethodSource("everyContract")
    void shouldRoundTripEveryContractWithTheGenericReader(Topic<?> topic, boolean nulls) {
        // Given
        SpecificRecord record = ContractSamples.sample(topic.valueType(), nulls);
        KafkaAvroSerializer serializer = serializer();
        byte[] bytes = serializer.serialize(topic.name(), record);

        // When
        Object read = deserializer(false).deserialize(topic.name(), bytes);

        // Then a GenericRecord of the writer's schema, which writes back to the very same bytes
        assertThat(read).isInstanceOf(GenericRecord.class);
        GenericRecord generic = (GenericRecord) read;
        assertThat(generic.getSchema()).isEqualTo(record.getSchema());
        // (String.valueOf on both sides: unrouted-webhooks carries no conversation, its conversationId may be null)
        assertThat(String.valueOf(generic.get("conversationId"))).isEqualTo(String.valueOf(
                record.get(record.getSchema().getField("conversationId").pos())));
        assertThat(serializer.serialize(topic.name(), generic)).isEqualTo(bytes);
    }

    @Test
    void shouldReturnNullForATombstone() {
        assertThat(deserializer(true).deserialize("assignment-changes", null)).isNull();
    }

    @Test
    void shouldRejectAnUnknownMagicByte() {
        byte[] bytes = serializer().serialize("assignment-changes", ContractSamples.sample(AssignmentChanged.class, false));
        bytes[0] = 0x7b; // e.g. a JSON '{' produced by some other client

        assertThatThrownBy(() -> deserializer(true).deserialize("assignment-changes", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 0x7b")
                .hasMessageContaining("assignment-changes");
    }

    @Test
    void shouldRejectARecordShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer(true).deserialize("assignment-changes", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("shorter than the 5-byte");
    }

    @Test
    void shouldReportAnUnknownSchemaIdAs40403NotRetriable() {
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 0x61};

        assertThatThrownBy(() -> deserializer(true).deserialize("assignment-changes", bytes))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e).hasMessageContaining("schema id 12345").hasMessageContaining("assignment-changes");
                });
    }

    @Test
    void shouldReportACorruptBody() {
        byte[] bytes = serializer().serialize("assignment-changes", ContractSamples.sample(AssignmentChanged.class, false));
        byte[] truncated = java.util.Arrays.copyOf(bytes, 8);

        assertThatThrownBy(() -> deserializer(true).deserialize("assignment-changes", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot read Avro body of schema id 1");
    }

    @Test
    void shouldRejectAWellFormedRecordOfAnotherContractOnACatalogueTopic() {
        // Given a valid assignment change produced to inbound-messages (say, an upstream system's wrong topic)
        byte[] bytes = serializer().serialize("inbound-messages", ContractSamples.sample(AssignmentChanged.class, false));

        // Then the specific reader refuses it as a deserialization error, naming both types
        assertThatThrownBy(() -> deserializer(true).deserialize("inbound-messages", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic inbound-messages carries InboundMessage records")
                .hasMessageContaining("(schema id 1) is AssignmentChanged");
        // And the generic reader, and any topic the catalogue does not declare (a dead-letter twin), still read it
        assertThat(deserializer(false).deserialize("inbound-messages", bytes)).isInstanceOf(GenericRecord.class);
        assertThat(deserializer(true).deserialize("inbound-messages-dlt", bytes)).isInstanceOf(AssignmentChanged.class);
    }

    @Test
    void shouldReadGeneratedClassesWithoutAnySystemProperty() {
        // Given no trust configured for the JVM (Avro 1.12 reads this property once)
        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isNull();
        AssignmentChanged record = ContractSamples.sample(AssignmentChanged.class, false);

        // When / Then
        assertThat(deserializer(true).deserialize("t", serializer().serialize("t", record))).isEqualTo(record);
    }

    @Test
    void shouldTrustTheContractPackageOnEveryReaderItMakes() {
        var reader = KafkaAvroDeserializer.specificReader(AssignmentChanged.getClassSchema(),
                AssignmentChanged.getClassSchema());

        assertThat(reader.getTrustedPackages()).contains("com.answerline.avro");
    }
}
