package com.answerline.ingest.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.ingest.webhook.WebhookAdmission;

/**
 * With no broker reachable, a correctly signed webhook must not be answered 200 (Meta would not retry and the
 * message would be lost): it gets 503, as the customer identity directory cannot load (and the producer would
 * give up too). An agent's reply, which the gateway publishes without the directory, gets 503 when the send fails,
 * and the failed send is logged without the customer's number or the agent's words. The application itself starts:
 * its Streams app waits for Kafka off the start-up path.
 *
 * <p>Load shedding on the real server, here because it needs no broker (and a context without one takes a minute to
 * start): with {@code answerline.ingest.webhook.max-in-progress=1}, one webhook whose sender is still sending its body
 * holds the one place, and the next webhook is answered 503 with Retry-After at once, while the agents' paths are not
 * shed. A webhook taken is answered 503 by the identity directory, told apart from the shedding answer by its type.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "management.server.port=0",
        "spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
        "spring.kafka.producer.properties.max.block.ms=1000",
        "spring.kafka.admin.auto-create=false",
        "answerline.ingest.webhook.publish-timeout=3s",
        "answerline.ingest.webhook.max-in-progress=1", "answerline.ingest.webhook.busy-retry-after=7s"})
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class BrokerDownIT {

    private static final TestTokens TOKENS = TestTokens.start();

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @LocalServerPort
    int port;

    @Autowired
    WebhookAdmission admission;

    @DynamicPropertySource
    static void nobodyListening(DynamicPropertyRegistry registry) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + closedPort);
        registry.add("answerline.ingest.data-dir", TestSupport::freshDataDir);
        registry.add("answerline.ingest.jwt.jwks-uri", TOKENS::jwksUri);
    }

    @AfterAll
    static void stopTokens() {
        TOKENS.close();
    }

    @BeforeEach
    void patientClient() {
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void shouldAnswer503SoThatMetaRetriesWhenKafkaIsAway(CapturedOutput logs) {
        // Given a genuine webhook
        byte[] body = TestSupport.whatsAppText("100000000000001", "31612345678", "wamid.DOWN1",
                Instant.now().getEpochSecond(), "please call me back").getBytes(StandardCharsets.UTF_8);
        // When / Then
        client.post().uri("/webhooks/whatsapp")
                .header("X-Hub-Signature-256", TestSupport.metaSignature("local-dev-app-secret", body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // and readiness says why: the customer identity directory is out of service
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build()
                .get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.identityDirectory.status").isEqualTo("OUT_OF_SERVICE");
        // and nothing logged names the customer's number or words (the directory answered first: no send)
        assertThat(logs.getAll()).doesNotContain("31612345678").doesNotContain("please call me back");
    }

    @Test
    void shouldAnswer503ToAReplyAndLogTheFailedSendWithoutTheCustomersNumberOrTheAgentsWords(CapturedOutput logs) {
        // Given an agent's reply to a customer: the gateway publishes it without the identity directory
        String conversation = "100000000000001:31687654321";
        // When / Then the send is tried, fails, and the answer is 503 (the agent's client retries)
        client.post().uri("/api/v1/conversations/{id}/replies", conversation)
                .headers(h -> h.setBearerAuth(TOKENS.agent("agent-7", "demo")))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"your parcel leaves tonight\"}")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // And the failed send is logged, without the customer's number or the agent's words
        assertThat(logs.getAll()).contains("Kafka did not acknowledge 1 record(s)")
                .doesNotContain("31687654321").doesNotContain("your parcel leaves tonight");
    }

    @Test
    void shouldShedTheWebhookBeyondTheBoundAndTakeWebhooksAgainOnceTheSlowOneIsGone(CapturedOutput logs)
            throws IOException {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port)) {
            // Given a webhook whose sender sent its headers and only part of its body
            OutputStream out = slow.getOutputStream();
            out.write(("POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-Hub-Signature-256: sha256=00\r\nContent-Length: 1000\r\n\r\n{\"object\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.inProgress() == 1);

            // When another webhook comes, Then it is refused at once, with the shedding problem and Retry-After
            postWebhook()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals("Retry-After", "7")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:answerline:problem:overloaded");
            // and an agent's request is not shed (refused for its missing token, by security, not by the bound)
            client.get().uri("/api/v1/conversations").exchange().expectStatus().isUnauthorized();
        }
        // When the slow sender went away, Then its place is free and the next webhook is worked on (and answered 503
        // by the identity directory, which cannot load without a broker: not the shedding problem)
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.inProgress() == 0);
        // and the request it left half-sent counts as closed by its client (499), not as a server error
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().contains("status=\"499\""));
        assertThat(scrape()).doesNotContain("status=\"500\"");
        assertThat(logs.getOut()).doesNotContain("500 Server Error");
        postWebhook()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.type").value(type -> assertThat(type).isNotEqualTo(
                        "urn:answerline:problem:overloaded"));
    }

    private String scrape() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build()
                .get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec postWebhook() {
        byte[] body = TestSupport.whatsAppText("100000000000001", "31612345678", "wamid.SHED1",
                Instant.now().getEpochSecond(), "hello").getBytes(StandardCharsets.UTF_8);
        return client.post().uri("/webhooks/whatsapp")
                .header("X-Hub-Signature-256", TestSupport.metaSignature("local-dev-app-secret", body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }
}
