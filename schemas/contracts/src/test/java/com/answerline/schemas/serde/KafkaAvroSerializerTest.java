package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import com.answerline.avro.AssignmentChanged;

class KafkaAvroSerializerTest {

    private static final String TOPIC = "assignment-changes";

    /** Always answers id 0x01020304, so the test sees the id's byte order. */
    private static final class FixedIdRegistry implements SchemaRegistryClient {
        private final Map<Integer, Schema> schemas = new HashMap<>();

        @Override
        public int register(String subject, Schema schema) {
            schemas.put(0x01020304, schema);
            return 0x01020304;
        }

        @Override
        public int getId(String subject, Schema schema) {
            return register(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            return schemas.get(id);
        }

        @Override
        public RegisteredSchema getLatest(String subject) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return true;
        }
    }

    private static AssignmentChanged assignment(String assignee) {
        return AssignmentChanged.newBuilder()
                .setTenantId("demo")
                .setConversationId("1:2")
                .setAssigneeId(assignee)
                .setChangedBy("x")
                .setChangedAt(Instant.ofEpochMilli(1000))
                .build();
    }

    private static KafkaAvroSerializer serializer(SchemaRegistryClient registry, Map<String, Object> extra) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer(registry);
        Map<String, Object> config = new HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://unused"));
        config.putAll(extra);
        serializer.configure(config, false);
        return serializer;
    }

    @Test
    void shouldWriteMagicByteBigEndianIdAndHandComputedAvroBinary() {
        // Given a record whose Avro binary is computed by hand from the spec:
        //   strings: zigzag-varint length then UTF-8; union: zigzag branch index then value;
        //   timestamp-millis 1000 -> long 1000 -> zigzag 2000 -> varint d0 0f
        String expected = "00" + "01020304"   // magic byte, schema id 16909060 big-endian
                + "08" + "64656d6f"           // tenantId "demo"
                + "06" + "313a32"             // conversationId "1:2"
                + "02" + "04" + "6131"        // assigneeId: union branch 1 (string), "a1"
                + "02" + "78"                 // changedBy "x"
                + "d00f";                     // changedAt 1000 ms
        KafkaAvroSerializer serializer = serializer(new FixedIdRegistry(), Map.of());

        // When
        byte[] bytes = serializer.serialize(TOPIC, assignment("a1"));

        // Then
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
    }

    @Test
    void shouldWriteNullUnionBranchAsIndexZero() {
        byte[] bytes = serializer(new FixedIdRegistry(), Map.of()).serialize(TOPIC, assignment(null));

        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo("00" + "01020304" + "0864656d6f" + "06313a32" + "00" + "0278" + "d00f");
    }

    @Test
    void shouldWriteTheSameBytesForAGenericRecordAsForTheSpecificOne() {
        // Given the same record as a GenericRecord (timestamps as raw longs)
        GenericRecord generic = new GenericData.Record(AssignmentChanged.getClassSchema());
        generic.put("tenantId", "demo");
        generic.put("conversationId", "1:2");
        generic.put("assigneeId", "a1");
        generic.put("changedBy", "x");
        generic.put("changedAt", 1000L);
        KafkaAvroSerializer serializer = serializer(new FixedIdRegistry(), Map.of());

        // When / Then
        assertThat(serializer.serialize(TOPIC, generic)).isEqualTo(serializer.serialize(TOPIC, assignment("a1")));
    }

    @Test
    void shouldPassTombstonesAsNullWithoutTouchingTheRegistry() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

        byte[] bytes = serializer(registry, Map.of()).serialize(TOPIC, null);

        assertThat(bytes).isNull();
        assertThatThrownBy(() -> registry.getLatest(TOPIC + "-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void shouldRegisterUnderTheSubjectOfTheConfiguredStrategy() {
        // Given three serializers configured with Confluent's class names
        String prefix = "io.confluent.kafka.serializers.subject.";
        Map<String, String> expectedSubjects = Map.of(
                prefix + "TopicNameStrategy", TOPIC + "-value",
                prefix + "RecordNameStrategy", "com.answerline.avro.AssignmentChanged",
                prefix + "TopicRecordNameStrategy", TOPIC + "-com.answerline.avro.AssignmentChanged");
        expectedSubjects.forEach((strategy, subject) -> {
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

            // When
            serializer(registry, Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, strategy)).serialize(TOPIC, assignment("a"));

            // Then
            assertThat(registry.getLatest(subject).schema()).isEqualTo(AssignmentChanged.getClassSchema());
        });
    }

    @Test
    void shouldUseTheKeySubjectStrategyForKeys() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        KafkaAvroSerializer serializer = new KafkaAvroSerializer(registry);
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://unused",
                AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "RecordNameStrategy"), true);

        serializer.serialize(TOPIC, assignment("a"));

        assertThat(registry.getLatest(TOPIC + "-key").id()).isEqualTo(1);
    }

    @Test
    void shouldRejectAnUnknownSubjectStrategy() {
        assertThatThrownBy(() -> serializer(new InMemorySchemaRegistry(),
                Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "com.example.MyStrategy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy");
    }

    @Test
    void shouldRequireTheRegistryUrl() {
        assertThatThrownBy(() -> new KafkaAvroSerializer().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldLookUpWithoutRegisteringWhenAutoRegisterIsOff() {
        // Given an empty registry and auto.register.schemas=false
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        KafkaAvroSerializer serializer = serializer(registry, Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"));

        // When / Then: not found, and nothing registered
        assertThatThrownBy(() -> serializer.serialize(TOPIC, assignment("a")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40401);
                    assertThat(e.retriable()).isFalse();
                });

        // And once registered elsewhere, the look-up finds its id
        int id = registry.register(TOPIC + "-value", AssignmentChanged.getClassSchema());
        assertThat(serializer.serialize(TOPIC, assignment("a"))).startsWith(0, 0, 0, 0, id);
    }

    @Test
    void shouldWriteWithTheLatestRegisteredVersionWhenUseLatestVersionIsOn() {
        // Given a newer version of the subject that added a field with a default and is registered as latest
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register(TOPIC + "-value", AssignmentChanged.getClassSchema());
        Schema newer = SchemaBuilder.record("AssignmentChanged").namespace("com.answerline.avro").fields()
                .requiredString("tenantId").requiredString("conversationId")
                .name("reason").type().stringType().stringDefault("none")   // new field, inserted mid-record
                .optionalString("assigneeId").requiredString("changedBy")
                .name("changedAt").type(org.apache.avro.LogicalTypes.timestampMillis()
                        .addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
                .endRecord();
        int newerId = registry.register(TOPIC + "-value", newer);
        KafkaAvroSerializer serializer = serializer(registry, Map.of(
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false, AvroSerdeConfig.USE_LATEST_VERSION, true));
        KafkaAvroDeserializer generic = new KafkaAvroDeserializer(registry);
        generic.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://unused"), false);

        // When
        byte[] bytes = serializer.serialize(TOPIC, assignment("a1"));

        // Then the bytes carry the latest id and are that schema's encoding (fields matched by name)
        assertThat(bytes).startsWith(0, 0, 0, 0, newerId);
        GenericRecord read = (GenericRecord) generic.deserialize(TOPIC, bytes);
        assertThat(read.getSchema()).isEqualTo(newer);
        assertThat(read.get("reason")).hasToString("none");
        assertThat(read.get("assigneeId")).hasToString("a1");
        assertThat(read.get("changedAt")).isEqualTo(1000L);
    }

    @Test
    void shouldPreferAutoRegisterOverUseLatestVersionAsConfluentDoes() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        KafkaAvroSerializer serializer = serializer(registry, Map.of(AvroSerdeConfig.USE_LATEST_VERSION, true));

        byte[] bytes = serializer.serialize(TOPIC, assignment("a"));

        assertThat(bytes).startsWith(0, 0, 0, 0, 1);
        assertThat(registry.getLatest(TOPIC + "-value").schema()).isEqualTo(AssignmentChanged.getClassSchema());
    }

    @Test
    void shouldRefuseARecordTheLatestVersionCannotRead() {
        // Given a latest version that requires a field our record lacks, without default
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Schema stricter = SchemaBuilder.record("AssignmentChanged").namespace("com.answerline.avro").fields()
                .requiredString("tenantId").requiredString("mandatory").endRecord();
        registry.register(TOPIC + "-value", stricter);
        KafkaAvroSerializer serializer = serializer(registry, Map.of(
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false, AvroSerdeConfig.USE_LATEST_VERSION, true));

        assertThatThrownBy(() -> serializer.serialize(TOPIC, assignment("a")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot read records of com.answerline.avro.AssignmentChanged");
    }

    @Test
    void shouldReport409WhenAnIncompatibleSchemaIsAutoRegistered() {
        // Given a subject whose latest version has a field the record's schema lacks, without default
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register(TOPIC + "-value", SchemaBuilder.record("Other").fields().requiredInt("n").endRecord());
        KafkaAvroSerializer serializer = serializer(registry, Map.of());

        assertThatThrownBy(() -> serializer.serialize(TOPIC, assignment("a")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.retriable()).isFalse();
                });
    }

    @Test
    void shouldRefuseSomethingThatIsNotAnAvroRecord() {
        assertThatThrownBy(() -> serializer(new InMemorySchemaRegistry(), Map.of()).serialize(TOPIC, "text"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not an Avro record");
    }
}
