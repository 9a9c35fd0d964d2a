package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeConfigTest {

    @Test
    void shouldDefaultLikeConfluent() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of("schema.registry.url", "http://127.0.0.1:8085/apis/ccompat/v7"), false);

        assertThat(config.registryUrl()).isEqualTo("http://127.0.0.1:8085/apis/ccompat/v7");
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.subjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(config.auth()).isEqualTo(RegistryAuth.NONE);
        assertThat(config.auth().header()).isEmpty();
        assertThat(config.tls()).isEqualTo(RegistryTls.DEFAULT);
        assertThat(config.tls().isDefault()).isTrue();
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

    private static final String URL = "https://registry.example:8081/apis/ccompat/v7";

    private static AvroSerdeConfig parse(Object... properties) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, URL);
        for (int i = 0; i < properties.length; i += 2) {
            configs.put((String) properties[i], properties[i + 1]);
        }
        return AvroSerdeConfig.from(configs, false);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadBasicCredentialsFromUserInfo() {
        AvroSerdeConfig config = parse("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:pa:ss");

        assertThat(config.auth().scheme()).isEqualTo(RegistryAuth.Scheme.BASIC);
        assertThat(config.auth().header()).contains(basic("alice:pa:ss"));
        assertThat(config.registryUrl()).isEqualTo(URL);
    }

    @Test
    void shouldPreferTheDeprecatedUserInfoNameAsConfluentDoes() {
        AvroSerdeConfig config = parse("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "new:one",
                "schema.registry.basic.auth.user.info", new Password("old:one"));

        assertThat(config.auth().header()).contains(basic("old:one"));
    }

    @Test
    void shouldTakeTheUrlsUserInfoWithTheUrlSourceAndStripItFromTheUrl() {
        AvroSerdeConfig config = parse(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                "https://alice:p%40ss@registry.example:8081/apis/ccompat/v7", "basic.auth.credentials.source", "URL");

        assertThat(config.registryUrl()).isEqualTo(URL);
        assertThat(config.auth().header()).contains(basic("alice:p@ss"));
        assertThat(parse("basic.auth.credentials.source", "URL").auth()).isEqualTo(RegistryAuth.NONE);
    }

    @Test
    void shouldReadAStaticBearerToken() {
        AvroSerdeConfig config = parse("bearer.auth.credentials.source", "STATIC_TOKEN",
                "bearer.auth.token", new Password("tok-1"));

        assertThat(config.auth().scheme()).isEqualTo(RegistryAuth.Scheme.BEARER);
        assertThat(config.auth().header()).contains("Bearer tok-1");
    }

    private static Stream<Arguments> badCredentials() {
        return Stream.of(
                Arguments.of(new Object[] {"basic.auth.credentials.source", "USER_INFO"},
                        "basic.auth.user.info (user:password) is required"),
                Arguments.of(new Object[] {"basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "sekrit"},
                        "basic.auth.user.info must be user:password"),
                Arguments.of(new Object[] {"basic.auth.credentials.source", "TOKEN"}, "basic.auth.credentials.source"),
                Arguments.of(new Object[] {"basic.auth.credentials.source", "user_info", "basic.auth.user.info", "a:sekrit"},
                        "basic.auth.credentials.source"),
                Arguments.of(new Object[] {AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://a:sekrit@registry.example"},
                        "schema.registry.url carries user:password@, which is sent only with basic.auth.credentials.source=URL"),
                Arguments.of(new Object[] {AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://a:sekrit@registry.example",
                        "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "b:sekrit"},
                        "schema.registry.url carries user:password@"),
                Arguments.of(new Object[] {"basic.auth.credentials.source", "SASL_INHERIT"}, "SASL_INHERIT is not supported"),
                Arguments.of(new Object[] {"basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "a:sekrit",
                        "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "sekrit"},
                        "only one of basic.auth.credentials.source and bearer.auth.credentials.source"),
                Arguments.of(new Object[] {"bearer.auth.credentials.source", "OAUTHBEARER"}, "bearer.auth.credentials.source"),
                Arguments.of(new Object[] {"bearer.auth.credentials.source", "STATIC_TOKEN"}, "bearer.auth.token is required"),
                Arguments.of(new Object[] {"basic.auth.user.info", "a:sekrit"},
                        "basic.auth.user.info is set but not used: it needs basic.auth.credentials.source=USER_INFO"),
                Arguments.of(new Object[] {"bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "sekrit",
                        "basic.auth.user.info", "a:sekrit"}, "basic.auth.user.info is set but not used"),
                Arguments.of(new Object[] {"bearer.auth.token", "sekrit"},
                        "bearer.auth.token is set but not used: it needs bearer.auth.credentials.source=STATIC_TOKEN"),
                Arguments.of(new Object[] {AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://sekrit@registry.example",
                        "basic.auth.credentials.source", "URL"}, "schema.registry.url must be user:password"),
                Arguments.of(new Object[] {AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://a:sekrit@registry example/"},
                        "schema.registry.url is not a valid URL"));
    }

    @Test
    void shouldReadTlsSettingsWithKafkasDefaults() {
        AvroSerdeConfig config = parse(
                "schema.registry.ssl.truststore.location", "/etc/registry/trust.p12",
                "schema.registry.ssl.truststore.password", "sekrit-1",
                "schema.registry.ssl.truststore.type", "pkcs12",
                "schema.registry.ssl.keystore.location", "/etc/registry/client.jks",
                "schema.registry.ssl.keystore.password", new Password("sekrit-2"),
                "schema.registry.ssl.key.password", "sekrit-3");

        assertThat(config.tls()).isEqualTo(new RegistryTls("/etc/registry/trust.p12", new Password("sekrit-1"), "PKCS12",
                "/etc/registry/client.jks", new Password("sekrit-2"), "JKS", new Password("sekrit-3"), true));
        assertThat(config.tls().isDefault()).isFalse();
        assertThat(parse("schema.registry.ssl.endpoint.identification.algorithm", "").tls().verifyHostname()).isFalse();
        assertThat(parse("schema.registry.ssl.endpoint.identification.algorithm", "HTTPS").tls().isDefault()).isTrue();
    }

    private static Stream<Arguments> badTls() {
        return Stream.of(
                Arguments.of(new Object[] {"schema.registry.ssl.truststore.password", "sekrit"},
                        "schema.registry.ssl.truststore.password is set but schema.registry.ssl.truststore.location is not"),
                Arguments.of(new Object[] {"schema.registry.ssl.keystore.location", "/k.jks"},
                        "schema.registry.ssl.keystore.password is required with schema.registry.ssl.keystore.location"),
                Arguments.of(new Object[] {"schema.registry.ssl.key.password", "sekrit"},
                        "schema.registry.ssl.key.password is set but schema.registry.ssl.keystore.location is not"),
                Arguments.of(new Object[] {"schema.registry.ssl.truststore.location", "/t", "schema.registry.ssl.truststore.type", "PEM"},
                        "schema.registry.ssl.truststore.type"),
                Arguments.of(new Object[] {"schema.registry.ssl.protocol", "TLSv1.3"},
                        "schema.registry.ssl.protocol is not supported"),
                Arguments.of(new Object[] {"schema.registry.ssl.endpoint.identification.algorithm", "ldaps"},
                        "schema.registry.ssl.endpoint.identification.algorithm"));
    }

    static Stream<Arguments> badSecuritySettings() {
        return Stream.concat(badCredentials(), badTls());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSecuritySettings")
    void shouldRejectABadCombinationNamingThePropertyButNotTheSecret(Object[] properties, String message) {
        assertThatThrownBy(() -> parse(properties))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("sekrit");
    }

    @Test
    void shouldNeverShowSecretsInTheConfigurationsText() {
        AvroSerdeConfig basic = parse("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "a:sekrit-1",
                "schema.registry.ssl.truststore.location", "/t.jks", "schema.registry.ssl.truststore.password", "sekrit-2",
                "schema.registry.ssl.keystore.location", "/k.jks", "schema.registry.ssl.keystore.password", "sekrit-3",
                "schema.registry.ssl.key.password", "sekrit-4");
        AvroSerdeConfig fromUrl = parse(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://a:sekrit-5@registry.example",
                "basic.auth.credentials.source", "URL");
        AvroSerdeConfig bearer = parse("bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "sekrit-6");

        assertThat(basic.toString()).contains("basic (USER_INFO)", "/t.jks").doesNotContain("sekrit");
        assertThat(fromUrl.toString()).contains("basic (URL)", "https://registry.example").doesNotContain("sekrit");
        assertThat(bearer.toString()).contains("bearer (STATIC_TOKEN)").doesNotContain("sekrit");
    }

    @Test
    void shouldIgnoreCredentialsAndTlsForAnInMemoryRegistry() {
        // A production configuration run against mock:// in a test: nothing to authenticate, no store to read
        AvroSerdeConfig config = parse(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://scope",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "a:b",
                "schema.registry.ssl.truststore.location", "/nowhere.jks");

        assertThat(config).isEqualTo(new AvroSerdeConfig("mock://scope", true, false, false, SubjectNameStrategy.TOPIC_NAME));
    }
}
