package com.answerline.schemas.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Client of the Confluent Schema Registry REST API (also served by Apicurio at {@code /apis/ccompat/v7}).
 * Ids and schemas are cached forever (an id never changes its schema); latest versions are not cached.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public CachedSchemaRegistryClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(10));
    }

    public CachedSchemaRegistryClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> {
                    int id = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(s)).get("id").asInt();
                    schemasById.putIfAbsent(id, s);
                    return id;
                });
    }

    @Override
    public int getId(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> {
                    int id = call("POST", "/subjects/" + encode(subject), schemaBody(s)).get("id").asInt();
                    schemasById.putIfAbsent(id, s);
                    return id;
                });
    }

    @Override
    public Schema getById(int id) {
        return schemasById.computeIfAbsent(id, i -> parse(call("GET", "/schemas/ids/" + i, null).get("schema").asText()));
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        JsonNode node = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        int id = node.get("id").asInt();
        Schema schema = schemasById.computeIfAbsent(id, i -> parse(node.get("schema").asText()));
        return new RegisteredSchema(id, node.get("version").asInt(), schema);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            return call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
                    .path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40401) {
                return true; // no version yet: anything is compatible with nothing
            }
            throw e;
        }
    }

    private JsonNode call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(0, 0, "schema registry at " + baseUrl + " unreachable ("
                    + method + " " + path + "): " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(0, 0, "interrupted calling the schema registry", true, e);
        }
        JsonNode json = readJson(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return json;
        }
        int code = json.path("error_code").asInt(status);
        String message = json.path("message").asText(response.body());
        String what = switch (code) {
            case 40401 -> "subject not found";
            case 40403 -> "schema not found";
            case 409 -> "schema is incompatible with the subject's earlier versions";
            case 42201 -> "invalid schema";
            default -> "registry error";
        };
        throw new SchemaRegistryException(status, code, what + " (" + method + " " + path + ", HTTP " + status
                + ", error " + code + "): " + message, status >= 500);
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

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
