package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.answerline.avro.AssignmentChanged;
import com.sun.net.httpserver.HttpServer;

/** The HTTP client against a stub registry on 127.0.0.1: request shapes, caching and error mapping. */
class CachedSchemaRegistryClientTest {

    private static final Schema SCHEMA = AssignmentChanged.getClassSchema();

    private record Answer(int status, String body) {
    }

    private HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private CachedSchemaRegistryClient client;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
            requests.add(request);
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Answer answer = answers.getOrDefault(request, new Answer(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = new CachedSchemaRegistryClient("http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7/",
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private static String schemaJson() {
        return "{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(SCHEMA.toString()) + "}";
    }

    @Test
    void shouldRegisterOnceAndServeTheIdFromItsCache() {
        // Given
        answers.put("POST /apis/ccompat/v7/subjects/reply-commands-value/versions", new Answer(200, "{\"id\":7}"));

        // When registered twice and the schema asked by id
        int first = client.register("reply-commands-value", SCHEMA);
        int second = client.register("reply-commands-value", SCHEMA);
        Schema byId = client.getById(7);

        // Then one call, with Confluent's body, and the id's schema known without a GET
        assertThat(first).isEqualTo(7);
        assertThat(second).isEqualTo(7);
        assertThat(byId).isEqualTo(SCHEMA);
        assertThat(requests).containsExactly("POST /apis/ccompat/v7/subjects/reply-commands-value/versions");
        assertThat(bodies.get(0)).isEqualTo(schemaJson());
    }

    @Test
    void shouldFetchASchemaByIdOnce() {
        answers.put("GET /apis/ccompat/v7/schemas/ids/3", new Answer(200, schemaJson()));

        Schema first = client.getById(3);
        Schema second = client.getById(3);

        assertThat(first).isEqualTo(SCHEMA).isSameAs(second);
        assertThat(requests).containsExactly("GET /apis/ccompat/v7/schemas/ids/3");
    }

    @Test
    void shouldLookUpWithoutRegisteringAndEncodeTheSubject() {
        answers.put("POST /apis/ccompat/v7/subjects/a%20b%2Fc", new Answer(200, "{\"subject\":\"a b/c\",\"id\":9,\"version\":1}"));

        assertThat(client.getId("a b/c", SCHEMA)).isEqualTo(9);
    }

    @Test
    void shouldReadTheLatestVersionWithItsId() {
        answers.put("GET /apis/ccompat/v7/subjects/s/versions/latest",
                new Answer(200, "{\"subject\":\"s\",\"id\":4,\"version\":2," + schemaJson().substring(1)));

        SchemaRegistryClient.RegisteredSchema latest = client.getLatest("s");

        assertThat(latest.id()).isEqualTo(4);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.schema()).isEqualTo(SCHEMA);
    }

    @Test
    void shouldAskTheCompatibilityEndpointAndTreatAMissingSubjectAsCompatible() {
        answers.put("POST /apis/ccompat/v7/compatibility/subjects/s/versions/latest", new Answer(200, "{\"is_compatible\":false}"));

        assertThat(client.isCompatible("s", SCHEMA)).isFalse();
        assertThatThrownBy(() -> client.isCompatible("unknown-path", SCHEMA)) // a plain 404 is not "no subject yet"
                .isInstanceOf(SchemaRegistryException.class);
        answers.put("POST /apis/ccompat/v7/compatibility/subjects/new/versions/latest",
                new Answer(404, "{\"error_code\":40401,\"message\":\"Subject 'new' not found.\"}"));
        assertThat(client.isCompatible("new", SCHEMA)).isTrue();
    }

    @Test
    void shouldMapAnUnknownSchemaIdTo40403NotRetriable() {
        answers.put("GET /apis/ccompat/v7/schemas/ids/99", new Answer(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}"));

        assertThatThrownBy(() -> client.getById(99))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e).hasMessageContaining("schema not found").hasMessageContaining("Schema 99 not found");
                });
    }

    @Test
    void shouldMap409ToIncompatibleNotRetriable() {
        answers.put("POST /apis/ccompat/v7/subjects/s/versions",
                new Answer(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));

        assertThatThrownBy(() -> client.register("s", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e).hasMessageContaining("incompatible");
                });
    }

    @Test
    void shouldTakeTheIdOfTheSchemaAConcurrentRegistrationJustWroteWhenTheRegistryAnswers409() {
        // Given Apicurio's answer to the loser of two first registrations, and the schema then registered
        answers.put("POST /apis/ccompat/v7/subjects/s/versions", new Answer(409,
                "{\"error_code\":409,\"message\":\"An artifact with ID 's' in group 'null' already exists.\"}"));
        answers.put("POST /apis/ccompat/v7/subjects/s", new Answer(200, "{\"subject\":\"s\",\"id\":12,\"version\":1}"));

        // Then the registration has the registered id, looked up once
        assertThat(client.register("s", SCHEMA)).isEqualTo(12);
        assertThat(requests).containsExactly("POST /apis/ccompat/v7/subjects/s/versions", "POST /apis/ccompat/v7/subjects/s");
    }

    @Test
    void shouldMap42201ToInvalidSchema() {
        answers.put("POST /apis/ccompat/v7/subjects/s/versions",
                new Answer(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}"));

        assertThatThrownBy(() -> client.register("s", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(42201);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e).hasMessageContaining("invalid schema");
                });
    }

    @Test
    void shouldMarkServerErrorsRetriableAndNotCacheThem() {
        // Given a registry failing once
        answers.put("GET /apis/ccompat/v7/schemas/ids/5", new Answer(503, "busy"));
        assertThatThrownBy(() -> client.getById(5))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retriable()).isTrue();
                });

        // When it recovers, the next call reaches it
        answers.put("GET /apis/ccompat/v7/schemas/ids/5", new Answer(200, schemaJson()));
        assertThat(client.getById(5)).isEqualTo(SCHEMA);
    }

    @Test
    void shouldMarkAnUnreachableRegistryRetriable() throws IOException {
        // Given a port nobody listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CachedSchemaRegistryClient unreachable = new CachedSchemaRegistryClient("http://127.0.0.1:" + port, Duration.ofSeconds(2));

        assertThatThrownBy(() -> unreachable.register("s", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.retriable()).isTrue();
                    assertThat(e).hasMessageContaining("unreachable");
                });
    }
}
