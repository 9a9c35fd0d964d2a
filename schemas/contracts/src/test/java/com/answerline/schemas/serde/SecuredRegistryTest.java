package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.avro.AssignmentChanged;
import com.answerline.schemas.topic.Topics;

/**
 * The serde against a registry that demands TLS and credentials: {@link HttpsRegistryStub} on 127.0.0.1 with keys and
 * certificates made at test time ({@link TlsMaterial}), configured only through Confluent's property names.
 */
class SecuredRegistryTest {

    private static final String TOPIC = Topics.ASSIGNMENT_CHANGES.name();
    private static final String USER_INFO = "serde:pass-7:x";
    private static final String BASIC = "Basic " + base64(USER_INFO);

    @TempDir
    static Path keyFolder;
    private static TlsMaterial keys;

    private final List<HttpsRegistryStub> stubs = new ArrayList<>();

    @BeforeAll
    static void makeKeys() throws IOException, GeneralSecurityException {
        keys = TlsMaterial.create(keyFolder);
    }

    @AfterEach
    void stopStubs() {
        stubs.forEach(HttpsRegistryStub::close);
    }

    private HttpsRegistryStub registry(String expectedAuthorization) throws IOException, GeneralSecurityException {
        return registry(keys.serverKeys, null, expectedAuthorization);
    }

    private HttpsRegistryStub registry(Path serverKeys, Path clientTrust, String expectedAuthorization)
            throws IOException, GeneralSecurityException {
        HttpsRegistryStub stub = new HttpsRegistryStub(TlsMaterial.serverContext(serverKeys, clientTrust),
                clientTrust != null, expectedAuthorization);
        stubs.add(stub);
        return stub;
    }

    /** The URL and the JKS trust store, plus the given properties (name, value, name, value, ...). */
    private static Map<String, Object> trusting(String url, Object... more) {
        Map<String, Object> config = new HashMap<>(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, url,
                "schema.registry.ssl.truststore.location", keys.truststoreJks.toString(),
                "schema.registry.ssl.truststore.password", TlsMaterial.STORE_PASSWORD));
        for (int i = 0; i < more.length; i += 2) {
            config.put((String) more[i], more[i + 1]);
        }
        return config;
    }

    private static Map<String, Object> withUserInfo(String url, String userInfo) {
        return trusting(url, "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", userInfo);
    }

    private static byte[] serialize(Map<String, Object> config, Object record) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config, false);
        return serializer.serialize(TOPIC, record);
    }

    /** Reads with a client of its own, so that the schema is fetched from the registry rather than a shared cache. */
    private static Object deserializeWithFreshClient(Map<String, Object> config, byte[] bytes) {
        Map<String, Object> specific = new HashMap<>(config);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        AvroSerdeConfig parsed = AvroSerdeConfig.from(specific, false);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer(
                new CachedSchemaRegistryClient(parsed.registryUrl(), parsed.auth(), parsed.tls()));
        deserializer.configure(specific, false);
        return deserializer.deserialize(TOPIC, bytes);
    }

    private static AssignmentChanged record() {
        return ContractSamples.sample(AssignmentChanged.class, false);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRegisterAndReadBackOverHttpsWithBasicAuthFromUserInfo() throws Exception {
        // Given a registry demanding basic auth over TLS
        HttpsRegistryStub registry = registry(BASIC);
        Map<String, Object> config = withUserInfo(registry.url(), USER_INFO);

        // When a record is written (registering its schema) and read back (fetching the schema by id)
        AssignmentChanged record = record();
        Object read = deserializeWithFreshClient(config, serialize(config, record));

        // Then both requests carried the credentials
        assertThat(read).isEqualTo(record);
        assertThat(registry.authorizations()).containsExactly(BASIC, BASIC);
    }

    @Test
    void shouldTakeBasicCredentialsFromTheUrlAndShowThemNowhere() throws Exception {
        // Given credentials in the URL (a percent-encoded '@' in the password)
        HttpsRegistryStub registry = registry("Basic " + base64("serde:s3cr@t"));
        String url = registry.url().replace("https://", "https://serde:s3cr%40t@");
        Map<String, Object> config = trusting(url, "basic.auth.credentials.source", "URL");

        // When
        serialize(config, record());

        // Then the header carries the decoded credentials, and the URL, client and errors never show the password
        assertThat(registry.authorizations()).containsExactly("Basic " + base64("serde:s3cr@t"));
        AvroSerdeConfig parsed = AvroSerdeConfig.from(config, false);
        assertThat(parsed.registryUrl()).isEqualTo(registry.url());
        assertThat(parsed.toString()).doesNotContain("s3cr");
        SchemaRegistryClient client = SchemaRegistryClients.forConfig(parsed);
        assertThat(client.toString()).contains(registry.url()).doesNotContain("s3cr");
        assertThatThrownBy(() -> client.getById(404))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403))
                .message().doesNotContain("s3cr");
    }

    @Test
    void shouldSendTheStaticBearerTokenOnEveryRequestWithAPkcs12TrustStore() throws Exception {
        // Given a registry demanding a bearer token
        HttpsRegistryStub registry = registry("Bearer token-42");
        Map<String, Object> config = trusting(registry.url(),
                "schema.registry.ssl.truststore.location", keys.truststoreP12.toString(),
                "schema.registry.ssl.truststore.type", "PKCS12",
                "bearer.auth.credentials.source", "STATIC_TOKEN",
                "bearer.auth.token", "token-42");

        // When
        AssignmentChanged record = record();
        Object read = deserializeWithFreshClient(config, serialize(config, record));

        // Then
        assertThat(read).isEqualTo(record);
        assertThat(registry.authorizations()).containsExactly("Bearer token-42", "Bearer token-42");
    }

    @Test
    void shouldFailWith401NotRetriableOnAWrongPassword() throws Exception {
        HttpsRegistryStub registry = registry(BASIC);

        assertThatThrownBy(() -> serialize(withUserInfo(registry.url(), "serde:wrong-9"), record()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e).hasMessageContaining("refused the credentials").hasMessageNotContaining("wrong-9");
                });
        assertThat(registry.authorizations()).containsExactly("Basic " + base64("serde:wrong-9"));
    }

    @Test
    void shouldNotShareAClientBetweenConfigurationsThatDifferOnlyInSecurity() throws Exception {
        // Given a process that already wrote with the right credentials (its client caches the schema's id)
        HttpsRegistryStub registry = registry(BASIC);
        Map<String, Object> good = withUserInfo(registry.url(), USER_INFO);
        serialize(good, record());

        // When another serializer names the same URL with a wrong password, it gets its own client: refused
        assertThatThrownBy(() -> serialize(withUserInfo(registry.url(), "serde:wrong-9"), record()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401));

        // Then clients are shared per URL and security settings, and no further
        AvroSerdeConfig parsed = AvroSerdeConfig.from(good, false);
        SchemaRegistryClient shared = SchemaRegistryClients.forConfig(parsed);
        assertThat(SchemaRegistryClients.forConfig(AvroSerdeConfig.from(new HashMap<>(good), false))).isSameAs(shared);
        Map<String, Object> otherTrustStore = new HashMap<>(good);
        otherTrustStore.put("schema.registry.ssl.truststore.location", keys.truststoreP12.toString());
        assertThat(SchemaRegistryClients.forConfig(AvroSerdeConfig.from(otherTrustStore, false))).isNotSameAs(shared);
        assertThat(SchemaRegistryClients.forUrl(registry.url())).isNotSameAs(shared);
    }

    @Test
    void shouldFailTheHandshakeClearlyWithoutTheTrustStore() throws Exception {
        // Given a registry whose self-signed certificate the JVM's default trust does not know
        HttpsRegistryStub registry = registry(BASIC);
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", USER_INFO);

        assertThatThrownBy(() -> serialize(config, record()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.retriable()).isFalse();
                    assertThat(e).hasMessageContaining("TLS handshake")
                            .hasMessageContaining("certificate is not trusted")
                            .hasMessageContaining("schema.registry.ssl.truststore.location: not set")
                            .hasRootCauseInstanceOf(CertPathBuilderException.class);
                    assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
                });
        assertThat(registry.authorizations()).isEmpty(); // the credentials never left the client
    }

    @Test
    void shouldCheckTheHostNameUnlessTheEndpointIdentificationAlgorithmIsEmpty() throws Exception {
        // Given a trusted certificate that names another host than 127.0.0.1
        HttpsRegistryStub registry = registry(keys.otherHostKeys, null, BASIC);

        assertThatThrownBy(() -> serialize(withUserInfo(registry.url(), USER_INFO), record()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.retriable()).isFalse();
                    assertThat(e).hasMessageContaining("certificate is not trusted")
                            .hasMessageContaining("endpoint.identification.algorithm: https");
                });

        Map<String, Object> noHostCheck = withUserInfo(registry.url(), USER_INFO);
        noHostCheck.put("schema.registry.ssl.endpoint.identification.algorithm", "");
        assertThat(serialize(noHostCheck, record())).isNotEmpty();
        assertThat(registry.authorizations()).containsExactly(BASIC);
    }

    @Test
    void shouldPresentTheClientCertificateWhenTheRegistryRequiresOne() throws Exception {
        // Given a registry requiring a client certificate it trusts (mutual TLS)
        HttpsRegistryStub registry = registry(keys.serverKeys, keys.clientTruststore, BASIC);
        Map<String, Object> mutual = withUserInfo(registry.url(), USER_INFO);
        mutual.put("schema.registry.ssl.keystore.location", keys.clientKeys.toString());
        mutual.put("schema.registry.ssl.keystore.password", TlsMaterial.STORE_PASSWORD);
        mutual.put("schema.registry.ssl.key.password", TlsMaterial.KEY_PASSWORD);

        // Then without the key store the connection is refused (under TLS 1.3 the registry closes it after the
        // handshake, unanswered), with it the record is written
        assertThatThrownBy(() -> serialize(withUserInfo(registry.url(), USER_INFO), record()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isZero());
        assertThat(registry.authorizations()).isEmpty();
        assertThat(serialize(mutual, record())).isNotEmpty();
        assertThat(registry.authorizations()).containsExactly(BASIC);
    }

    @Test
    void shouldNameTheStorePropertyThatCannotBeOpened() {
        String url = "https://127.0.0.1:1/apis/ccompat/v7";

        assertThatThrownBy(() -> serialize(trusting(url, "schema.registry.ssl.truststore.password", "bad-pass-3"), record()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.password")
                .hasMessageNotContaining("bad-pass-3");
        assertThatThrownBy(() -> serialize(trusting(url, "schema.registry.ssl.truststore.location",
                keyFolder.resolve("missing.jks").toString()), record()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.location")
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> serialize(trusting(url,
                "schema.registry.ssl.keystore.location", keys.clientKeys.toString(),
                "schema.registry.ssl.keystore.password", TlsMaterial.STORE_PASSWORD,
                "schema.registry.ssl.key.password", "bad-key-pass-4"), record()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.key.password")
                .hasMessageNotContaining("bad-key-pass-4");
    }
}
