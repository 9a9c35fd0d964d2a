package com.answerline.platform.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A service started with the production profile refuses each unsafe setting, naming the property; a safe production
 * configuration starts, and so does the local one (no profile) with every local-development default. Each test starts
 * a real (empty) Spring application: the guard is found through spring.factories, as in the services.
 */
class ProductionConfigurationGuardTest {

    /** A production configuration that breaks no rule. */
    private static final Map<String, Object> SAFE = Map.of(
            "spring.kafka.security.protocol", "SASL_SSL",
            "spring.kafka.properties.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ingest-service\" password=\"s3cr3t\";",
            "answerline.ingest.whatsapp.app-secrets[0]", "meta-app-secret-from-the-secret-store",
            "answerline.ingest.whatsapp.verify-token", "verify-token-from-the-secret-store",
            "answerline.ingest.jwt.issuer", "https://idp.example.com/",
            "answerline.ingest.jwt.jwks-uri", "https://idp.example.com/.well-known/jwks.json",
            "answerline.session.jwt.issuer", "https://idp.example.com/",
            "answerline.dispatch.jwt.jwks-uri", "https://idp.example.com/.well-known/jwks.json");

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties, String... profiles) {
        List<String> arguments = new ArrayList<>();
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE).profiles(profiles)
                .logStartupInfo(false).run(arguments.toArray(String[]::new));
    }

    private static Map<String, Object> safeWith(String name, Object value) {
        Map<String, Object> properties = new LinkedHashMap<>(SAFE);
        properties.put(name, value);
        return properties;
    }

    @Test
    void shouldStartInProductionWhenNothingIsUnsafe() {
        // Given a configuration with the deployment's own secrets, an https identity provider and Kafka over SASL_SSL
        // When it starts with the production profile / Then it runs
        try (ConfigurableApplicationContext context = start(SAFE, "production")) {
            assertThat(context.isActive()).isTrue();
        }
        assertThat(UnsafeConfiguration.check(stringMap(SAFE))).isEmpty();
    }

    @Test
    void shouldLeaveTheLocalStackAloneWithoutTheProductionProfile() {
        // Given every local-development default at once, PLAINTEXT Kafka included
        Map<String, Object> local = Map.of("answerline.ingest.whatsapp.app-secrets[0]", "local-dev-app-secret",
                "answerline.ingest.jwt.issuer", "http://127.0.0.1:8089/sandbox",
                "spring.kafka.bootstrap-servers", "127.0.0.1:9092");

        // When it starts without the production profile / Then it runs
        try (ConfigurableApplicationContext context = start(local)) {
            assertThat(context.isActive()).isTrue();
        }
    }

    @Test
    void shouldRefuseALocalDevelopmentSecretNamingTheProperty() {
        assertRefused(safeWith("answerline.dispatch.sms.auth-token", "local-dev-twilio-auth-token"),
                "answerline.dispatch.sms.auth-token: holds a local-development value");
        assertRefused(safeWith("answerline.ingest.whatsapp.app-secrets[0]", "local-dev-app-secret"),
                "answerline.ingest.whatsapp.app-secrets[0]: holds a local-development value");
        // whatever the property's name, and inside a larger value
        assertRefused(safeWith("spring.kafka.properties.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\" password=\"local-dev-pw\";"),
                "spring.kafka.properties.sasl.jaas.config: holds a local-development value");
    }

    @Test
    void shouldRefuseABlankSecret() {
        assertRefused(safeWith("answerline.ingest.whatsapp.verify-token", ""),
                "answerline.ingest.whatsapp.verify-token: is blank");
    }

    @Test
    void shouldRefuseAnEmptyAppSecretList() {
        Map<String, Object> properties = new LinkedHashMap<>(SAFE);
        properties.remove("answerline.ingest.whatsapp.app-secrets[0]");
        properties.put("answerline.ingest.whatsapp.app-secrets", "");

        assertRefused(properties, "answerline.ingest.whatsapp.app-secrets: is empty");
    }

    @Test
    void shouldRefuseAnHttpOrLoopbackIssuerOrKeySetOfAnyService() {
        assertRefused(safeWith("answerline.ingest.jwt.jwks-uri", "http://idp.example.com/.well-known/jwks.json"),
                "answerline.ingest.jwt.jwks-uri: is not https");
        assertRefused(safeWith("answerline.ingest.jwt.issuer", "https://127.0.0.1:8089/sandbox"),
                "answerline.ingest.jwt.issuer: points at a loopback host");
        // The same rule for every service's token check, by the property's name alone (session's, dispatch's, ...)
        assertRefused(safeWith("answerline.session.jwt.issuer", "http://provider-sandbox:8089/sandbox"),
                "answerline.session.jwt.issuer: is not https");
        assertRefused(safeWith("answerline.dispatch.jwt.jwks-uri", "https://localhost/.well-known/jwks.json"),
                "answerline.dispatch.jwt.jwks-uri: points at a loopback host");
        assertRefused(safeWith("answerline.ingest.console.issuer", "http://[::1]:8089/sandbox"),
                "answerline.ingest.console.issuer: points at a loopback host");
    }

    @Test
    void shouldRefusePlaintextKafkaUnlessExplicitlyAllowed() {
        Map<String, Object> unset = new LinkedHashMap<>(SAFE);
        unset.remove("spring.kafka.security.protocol");
        assertRefused(unset, "spring.kafka.security.protocol: is PLAINTEXT (Kafka's default, not set)");
        assertRefused(safeWith("spring.kafka.security.protocol", "SASL_PLAINTEXT"),
                "spring.kafka.security.protocol: is SASL_PLAINTEXT");
        // a per-client override counts too
        assertRefused(safeWith("spring.kafka.streams.properties.security.protocol", "PLAINTEXT"),
                "spring.kafka.streams.properties.security.protocol: is PLAINTEXT");

        // Given the explicit allowance / Then it starts
        unset.put(UnsafeConfiguration.ALLOW_PLAINTEXT_KAFKA, "true");
        try (ConfigurableApplicationContext context = start(unset, "production")) {
            assertThat(context.isActive()).isTrue();
        }
    }

    @Test
    void shouldNameEveryOffendingPropertyInOneMessage() {
        Map<String, Object> properties = safeWith("answerline.ingest.twilio.auth-token", "local-dev-twilio-auth-token");
        properties.put("answerline.ingest.jwt.issuer", "http://127.0.0.1:8089/sandbox");
        properties.remove("spring.kafka.security.protocol");

        assertThatThrownBy(() -> start(properties, "production")).isInstanceOf(UnsafeConfigurationException.class)
                .hasMessageContaining("answerline.ingest.twilio.auth-token")
                .hasMessageContaining("answerline.ingest.jwt.issuer")
                .hasMessageContaining("spring.kafka.security.protocol");
    }

    @Test
    void shouldReadEnvironmentVariablesUnderThePropertysName() {
        // Given the names environment variables bind to (ANSWERLINE_INGEST_WHATSAPP_VERIFYTOKEN, ..._APPSECRETS_0)
        Map<String, String> properties = stringMap(SAFE);
        properties.put("answerline.ingest.whatsapp.verifytoken", "local-dev-verify-token");
        properties.remove("answerline.ingest.whatsapp.app-secrets[0]");
        properties.put("answerline.ingest.whatsapp.appsecrets[0]", "");

        // When checked / Then both are found
        assertThat(UnsafeConfiguration.check(properties)).extracting(UnsafeConfiguration.Finding::property)
                .contains("answerline.ingest.whatsapp.verifytoken", "answerline.ingest.whatsapp.appsecrets");
    }

    private static void assertRefused(Map<String, Object> properties, String message) {
        // When the service starts with the production profile / Then it fails naming the property and the problem
        assertThatThrownBy(() -> start(properties, "production"))
                .isInstanceOf(UnsafeConfigurationException.class)
                .hasMessageContaining(message);
    }

    private static Map<String, String> stringMap(Map<String, Object> properties) {
        Map<String, String> result = new LinkedHashMap<>();
        properties.forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }
}
