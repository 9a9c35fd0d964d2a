package com.answerline.platform.safety;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a production deployment's configuration must satisfy, as plain functions of the effective properties
 * (canonical names, dashed, lower case: {@code answerline.ingest.jwt.issuer}, lists as {@code name[0]}). No Spring in
 * here: {@link ProductionConfigurationGuard} collects the properties and applies them at start-up.
 *
 * <ol>
 *   <li>No value holds a local-development marker ({@value #LOCAL_DEV_MARKER}): every packaged default secret (the
 *       webhook app secret, the verify token, the Cloud API token, Twilio's token) starts with it, so a secret a
 *       deployment forgot to override is caught by one rule whatever its name.</li>
 *   <li>No secret (a property named {@code *secret}, {@code *secrets[n]}, {@code *token}, {@code *password}) is
 *       blank, and every app-secret list ({@code *.app-secrets}) has an entry: an empty list would accept no webhook
 *       at best, and a blank entry is a key anybody knows.</li>
 *   <li>Every issuer and key-set address of a token check ({@code *.jwt.issuer}, {@code *.jwt.jwks-uri}, and any
 *       other {@code *issuer}, {@code *issuer-uri}, {@code *jwks-uri}, {@code *jwk-set-uri}) is https and not a
 *       loopback host: the keys that decide who an agent is must not travel in the clear nor come from the pod
 *       itself.</li>
 *   <li>Kafka is reached over TLS ({@code SSL} or {@code SASL_SSL}) by every client, unless
 *       {@value #ALLOW_PLAINTEXT_KAFKA}{@code =true} says the deployment knows it is not (a private broker on a
 *       network of its own).</li>
 * </ol>
 */
public final class UnsafeConfiguration {

    /** What every packaged local-development secret starts with. */
    public static final String LOCAL_DEV_MARKER = "local-dev";
    /** Allows PLAINTEXT / SASL_PLAINTEXT Kafka in production; false (refused) unless set. */
    public static final String ALLOW_PLAINTEXT_KAFKA = "answerline.security.allow-plaintext-kafka";

    /** One offending property and why. */
    public record Finding(String property, String problem) {
        @Override
        public String toString() {
            return property + ": " + problem;
        }
    }

    private static final Pattern SECRET = Pattern.compile(".*(secret|secrets|token|password)(\\[\\d+])?");
    private static final Pattern APP_SECRETS = Pattern.compile("(.*\\.app-?secrets)(\\[\\d+])?");
    private static final Pattern ISSUER_OR_KEYS = Pattern.compile(".*(issuer|issuer-?uri|jwks-?uri|jwk-?set-?uri)");
    /** Every place a Kafka client of ours takes its security protocol from (spring.kafka.*, per client, raw). */
    private static final Pattern KAFKA_PROTOCOL = Pattern.compile(
            "spring\\.kafka\\.((producer|consumer|admin|streams)\\.)?(properties\\.)?security\\.protocol");
    private static final String KAFKA_PROTOCOL_PROPERTY = "spring.kafka.security.protocol";
    private static final Set<String> TLS_PROTOCOLS = Set.of("SSL", "SASL_SSL");
    /**
     * The application's own namespaces: the rules never look at the rest of the environment (PATH, java.class.path,
     * a folder name), which the application does not read.
     */
    private static final List<String> CHECKED = List.of("answerline.", "spring.", "management.", "server.");

    private UnsafeConfiguration() {
    }

    /** The findings for these effective properties (name to value, placeholders resolved); empty when safe. */
    public static List<Finding> check(Map<String, String> properties) {
        List<Finding> findings = new ArrayList<>();
        boolean anyAppSecret = false;
        String appSecrets = null;
        boolean protocolSet = false;
        boolean allowPlaintext = Boolean.parseBoolean(properties.getOrDefault(ALLOW_PLAINTEXT_KAFKA, "false").trim());
        for (Map.Entry<String, String> property : properties.entrySet()) {
            String name = property.getKey();
            if (CHECKED.stream().noneMatch(name::startsWith)) {
                continue;
            }
            String value = property.getValue() == null ? "" : property.getValue().trim();
            if (value.toLowerCase(Locale.ROOT).contains(LOCAL_DEV_MARKER)) {
                findings.add(new Finding(name, "holds a local-development value (\"" + LOCAL_DEV_MARKER
                        + "...\", a packaged default anybody can read): set the deployment's own secret"));
            } else if (SECRET.matcher(name).matches() && value.isEmpty()) {
                findings.add(new Finding(name, "is blank: set the deployment's own secret"));
            }
            var list = APP_SECRETS.matcher(name);
            if (list.matches()) {
                appSecrets = list.group(1);
                anyAppSecret |= !value.isEmpty();
            }
            if (ISSUER_OR_KEYS.matcher(name).matches() && !value.isEmpty()) {
                String problem = insecureUri(value);
                if (problem != null) {
                    findings.add(new Finding(name, problem));
                }
            }
            if (KAFKA_PROTOCOL.matcher(name).matches()) {
                protocolSet = true;
                if (!allowPlaintext && !TLS_PROTOCOLS.contains(value.toUpperCase(Locale.ROOT))) {
                    findings.add(plaintextKafka(name, value));
                }
            }
        }
        if (appSecrets != null && !anyAppSecret) {
            findings.add(new Finding(appSecrets, "is empty: list the app secret(s) that sign the webhooks"));
        }
        if (!protocolSet && !allowPlaintext) {
            findings.add(plaintextKafka(KAFKA_PROTOCOL_PROPERTY, "PLAINTEXT (Kafka's default, not set)"));
        }
        return List.copyOf(findings);
    }

    private static Finding plaintextKafka(String name, String value) {
        return new Finding(name, "is " + value + ": Kafka without TLS; use SSL or SASL_SSL, or set "
                + ALLOW_PLAINTEXT_KAFKA + "=true if the broker's network is private on purpose");
    }

    /** Why this issuer or key-set address is unsafe, or null. */
    private static String insecureUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "is not a URI (" + value + ")";
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (isLoopback(host)) {
            return "points at a loopback host (" + value + "): the identity provider must be a real one";
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return "is not https (" + value + "): token keys and issuers must not travel in the clear";
        }
        return null;
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.equals("localhost") || bare.endsWith(".localhost") || bare.startsWith("127.")
                || bare.equals("::1") || bare.equals("0:0:0:0:0:0:0:1") || bare.equals("0.0.0.0");
    }
}
