package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void shouldDefaultLikeConfluent() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of("schema.registry.url", "http://127.0.0.1:8085/apis/ccompat/v7"), false);

        assertThat(config.registryUrl()).isEqualTo("http://127.0.0.1:8085/apis/ccompat/v7");
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.subjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
    }

    @Test
    void shouldReadConfluentPropertyNamesAsStringsOrBooleans() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of(
                "schema.registry.url", "http://a:1, http://b:2",
                "auto.register.schemas", "false",
                "use.latest.version", true,
                "specific.avro.reader", "TRUE",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
                "key.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false);

        assertThat(config).isEqualTo(new AvroSerdeConfig("http://a:1", false, true, true,
                SubjectNameStrategy.TOPIC_RECORD_NAME));
        assertThat(AvroSerdeConfig.from(Map.of("schema.registry.url", List.of("http://c:3"),
                "key.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy"), true))
                .isEqualTo(new AvroSerdeConfig("http://c:3", true, false, false, SubjectNameStrategy.RECORD_NAME));
    }

    @Test
    void shouldRejectAMisspelledBoolean() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("schema.registry.url", "mock://x",
                "auto.register.schemas", "ture"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas");
    }

    @Test
    void shouldNameSubjectsAsConfluentsStrategiesDo() {
        var schema = SchemaBuilder.record("InboundMessage").namespace("com.answerline.avro").fields().endRecord();

        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("inbound-messages", false, schema)).isEqualTo("inbound-messages-value");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("inbound-messages", true, schema)).isEqualTo("inbound-messages-key");
        assertThat(SubjectNameStrategy.RECORD_NAME.subject("inbound-messages", false, schema))
                .isEqualTo("com.answerline.avro.InboundMessage");
        assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subject("inbound-messages", false, schema))
                .isEqualTo("inbound-messages-com.answerline.avro.InboundMessage");
    }
}
