package com.answerline.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.answerline.sandbox.CapturingServer.Captured;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox over real HTTP on 127.0.0.1, delivering to a real capturing server standing in for ingest: what the
 * sandbox's integration tests start from. One application context for all of them (same configuration, cached by
 * Spring's test context), so the capturing server lives as long as the test JVM; each test starts from a reset sandbox
 * and an empty capture, and filters what it reads by the ids of its own messages (background posts of an earlier
 * test may still arrive).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sandbox.whatsapp.status-delay=10ms",
        "sandbox.sms.status-delay=10ms",
        "sandbox.faults.timeout-delay=1s"})
@AutoConfigureWebTestClient
abstract class SandboxOverHttp {

    static final String DEMO = "100000000000001";
    static final String TOKEN = "Bearer local-dev-whatsapp-token";
    static final CapturingServer INGEST = CapturingServer.start();

    @DynamicPropertySource
    static void ingest(DynamicPropertyRegistry registry) {
        registry.add("sandbox.ingest.whatsapp-webhook-url", () -> INGEST.url("/webhooks/whatsapp"));
        registry.add("sandbox.ingest.sms-webhook-url", () -> INGEST.url("/webhooks/sms"));
    }

    @Autowired
    protected WebTestClient client;

    @Autowired
    protected JsonMapper json;

    @BeforeEach
    void reset() {
        client.delete().uri("/sandbox/phones").exchange().expectStatus().isNoContent();
        INGEST.clear();
    }

    /** The customer simulator's answer to a WhatsApp message ({@code body}) of {@code number}. */
    JsonNode customerWrites(String number, String body) {
        return client.post().uri("/sandbox/customers/{number}/messages", number)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** The Cloud API's answer to an accepted send of the demo number. */
    JsonNode send(String request) {
        return client.post().uri("/v23.0/{id}/messages", DEMO)
                .header(HttpHeaders.AUTHORIZATION, TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Sends for the demo number, expecting a Cloud API error with {@code code}; its {@code error} object. */
    JsonNode sendExpectingError(String request, int httpStatus, int code) {
        JsonNode error = client.post().uri("/v23.0/{id}/messages", DEMO)
                .header(HttpHeaders.AUTHORIZATION, TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange()
                .expectStatus().isEqualTo(httpStatus)
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("error");
        assertThat(error.path("code").intValue()).isEqualTo(code);
        return error;
    }

    List<JsonNode> phone(String number) {
        JsonNode list = client.get().uri("/sandbox/phones/{number}", number).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return list.valueStream().toList();
    }

    static String text(String to, String body) {
        return """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"%s","type":"text",
                 "text":{"preview_url":false,"body":"%s"}}""".formatted(to, body);
    }

    /** Requests about one message only: background posts of earlier tests may still arrive. */
    static List<Captured> requestsTo(String path, String messageId) {
        return INGEST.requests().stream()
                .filter(r -> r.path().equals(path) && r.bodyText().contains(messageId))
                .toList();
    }

    static Captured onlyRequestTo(String path, String messageId) {
        List<Captured> requests = requestsTo(path, messageId);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
