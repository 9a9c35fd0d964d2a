package com.answerline.schemas.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLHandshakeException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Client of the Confluent Schema Registry REST API subset the serdes need (also served by Apicurio at
 * {@code /apis/ccompat/v7}). Ids and schemas are cached for the life of the process: a global id never
 * changes its schema, and a schema registered under a subject keeps its id. Latest versions are not cached,
 * so a serializer with {@code use.latest.version} sees a new version without a restart.
 *
 * <p>Registry calls happen outside the cache maps' locks; two threads may look the same schema up once each.
 *
 * <p>Every request carries the {@link RegistryAuth} header, if any; an {@code https://} registry is reached with the
 * {@link RegistryTls} trust and key stores, if any. Credentials are never logged nor put in messages: the URL is kept
 * without its {@code user:password@}.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final RegistryAuth auth;
    private final RegistryTls tls;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public CachedSchemaRegistryClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(10));
    }

    /** A client with basic credentials only from a {@code user:password@} in the URL, and the JVM's default TLS. */
    public CachedSchemaRegistryClient(String baseUrl, Duration timeout) {
        this(baseUrl, RegistryAuth.from(Map.of(RegistryAuth.BASIC_AUTH_CREDENTIALS_SOURCE, "URL"), baseUrl),
                RegistryTls.DEFAULT, timeout);
    }

    public CachedSchemaRegistryClient(String baseUrl, RegistryAuth auth, RegistryTls tls) {
        this(baseUrl, auth, tls, Duration.ofSeconds(10));
    }

    /**
     * @param baseUrl the registry's URL, credentials in it are ignored (stripped): they are in {@code auth}
     * @throws org.apache.kafka.common.config.ConfigException when a trust or key store cannot be read
     */
    public CachedSchemaRegistryClient(String baseUrl, RegistryAuth auth, RegistryTls tls, Duration timeout) {
        String url = RegistryAuth.withoutUserInfo(baseUrl);
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.auth = auth;
        this.tls = tls;
        this.timeout = timeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        if (!tls.isDefault()) {
            http.sslContext(tls.sslContext());
        }
        this.http = http.build();
    }

    /**
     * Registers the schema, or finds it registered. A 409 is checked once by looking the schema up under the
     * subject: Apicurio answers 409 "artifact already exists" to the losers of concurrent first registrations of a
     * subject (seen under load: several request threads publishing a topic's first records at once), and the schema
     * is then registered. Still not found, it was a real incompatibility: the 409 is thrown.
     */
    @Override
    public int register(String subject, Schema schema) {
        try {
            return idFor(subject, schema, "/subjects/" + encode(subject) + "/versions");
        } catch (SchemaRegistryException conflict) {
            if (conflict.status() != 409) {
                throw conflict;
            }
            try {
                return getId(subject, schema);
            } catch (SchemaRegistryException notThere) {
                conflict.addSuppressed(notThere);
                throw conflict;
            }
        }
    }

    @Override
    public int getId(String subject, Schema schema) {
        return idFor(subject, schema, "/subjects/" + encode(subject));
    }

    private int idFor(String subject, Schema schema, String path) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        int id = call("POST", path, schemaBody(schema)).path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException(200, 0, "registry answered POST " + path + " without an id", false);
        }
        ids.putIfAbsent(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = parse(call("GET", "/schemas/ids/" + id, null).path("schema").asText(), "schema id " + id);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        JsonNode node = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        int id = node.path("id").asInt();
        Schema schema = schemasById.computeIfAbsent(id,
                i -> parse(node.path("schema").asText(), "latest version of " + subject));
        return new RegisteredSchema(id, node.path("version").asInt(), schema);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            return call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
                    .path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40401 || e.errorCode() == 40402) {
                return true; // no version yet: anything is compatible with nothing
            }
            throw e;
        }
    }

    private JsonNode call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        auth.header().ifPresent(header -> request.header("Authorization", header));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (SSLHandshakeException e) {
            throw handshakeFailed(e, method, path);
        } catch (IOException e) {
            throw new SchemaRegistryException(0, 0, "schema registry at " + baseUrl + " unreachable ("
                    + method + " " + path + "): " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(0, 0, "interrupted calling the schema registry", true, e);
        }
        int status = response.statusCode();
        JsonNode json = readJson(response.body());
        if (status >= 200 && status < 300) {
            return json;
        }
        int code = json.path("error_code").asInt(status);
        String message = json.path("message").asText(response.body());
        throw new SchemaRegistryException(status, code, describe(status, code) + " (" + method + " " + path + ", HTTP "
                + status + ", error " + code + "): " + message, status >= 500 || status == 408 || status == 429);
    }

    /**
     * A certificate the trust store does not vouch for (or naming another host) will not change by retrying: not
     * retriable. Other handshake failures (a peer closing mid-handshake) may be transient, as an unreachable registry.
     */
    private SchemaRegistryException handshakeFailed(SSLHandshakeException e, String method, String path) {
        boolean certificate = false;
        for (Throwable cause = e; cause != null && !certificate; cause = cause.getCause()) {
            certificate = cause instanceof CertificateException;
        }
        String why = certificate
                ? "the registry's certificate is not trusted (" + RegistryTls.TRUSTSTORE_LOCATION + ": " + trustSource()
                        + "; " + RegistryTls.ENDPOINT_IDENTIFICATION_ALGORITHM + ": "
                        + (tls.verifyHostname() ? "https" : "none") + ")"
                : "the handshake failed (a client certificate, " + RegistryTls.KEYSTORE_LOCATION + ", may be required)";
        return new SchemaRegistryException(0, 0, "TLS handshake with the schema registry at " + baseUrl + " failed ("
                + method + " " + path + "): " + why + ": " + e.getMessage(), !certificate, e);
    }

    private String trustSource() {
        return tls.truststoreLocation() != null ? tls.truststoreLocation() : "not set, the JVM's default trust";
    }

    @Override
    public String toString() {
        return "CachedSchemaRegistryClient[" + baseUrl + ", auth " + auth + ", tls " + (tls.isDefault() ? "default" : tls)
                + "]";
    }

    private static String describe(int status, int code) {
        if (status == 401) {
            return "the registry refused the credentials (basic.auth.* / bearer.auth.*)";
        }
        if (status == 403) {
            return "the registry denied access with these credentials";
        }
        return switch (code) {
            case 40401 -> "subject not found";
            case 40402 -> "version not found";
            case 40403 -> "schema not found";
            case 409 -> "schema is incompatible with the subject's earlier versions";
            case 42201 -> "invalid schema";
            default -> "schema registry error";
        };
    }

    private static JsonNode readJson(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static Schema parse(String schema, String what) {
        try {
            return new Schema.Parser().parse(schema);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(200, 0, "registry returned an unparsable Avro schema for " + what
                    + ": " + e.getMessage(), false, e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
