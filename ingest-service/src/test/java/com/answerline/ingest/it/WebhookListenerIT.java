package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.avro.InboundMessage;
import com.answerline.ingest.identity.IdentityDirectory;
import com.answerline.ingest.listener.WebhookListener;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The webhooks' own listener ({@code answerline.ingest.webhook-listener.port}), against the real broker: webhooks are
 * taken there and published, and each listener answers only its own paths (404 otherwise, before authentication).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "management.server.port=0", "answerline.ingest.webhook-listener.port=0",
        "spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
        "logging.level.kafka=WARN", "logging.level.state.change.logger=WARN", "logging.level.org.apache.kafka=WARN"})
class WebhookListenerIT {

    private static final String SECRET = "local-dev-app-secret";
    private static final LoopbackKafkaBroker BROKER = LoopbackKafkaBroker.start();

    @Autowired
    WebhookListener listener;

    @Autowired
    IdentityDirectory identityDirectory;

    @LocalServerPort
    int mainPort;

    private WebTestClient webhooks;
    private WebTestClient main;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
        registry.add("answerline.ingest.data-dir", TestSupport::freshDataDir);
    }

    @AfterAll
    static void stopBroker() {
        BROKER.close();
    }

    @BeforeEach
    void clients() {
        TestSupport.awaitIdentityDirectory(identityDirectory);
        assertThat(listener.port()).isPositive().isNotEqualTo(mainPort);
        webhooks = client(listener.port());
        main = client(mainPort);
    }

    @Test
    void shouldTakeAWebhookOnItsOwnListenerAndPublishIt() {
        // Given a signed customer message
        String wamid = "wamid.LISTENER-" + UUID.randomUUID();
        byte[] body = TestSupport.whatsAppText("100000000000001", "31600000011", wamid, Instant.now().getEpochSecond(),
                "hello").getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<String, Object> inbound = TestSupport.consumer(BROKER.bootstrapServers(),
                Topics.INBOUND_MESSAGES.name())) {
            // When it arrives on the webhooks' port
            postWhatsApp(webhooks, body).expectStatus().isOk();

            // Then it is on inbound-messages
            assertThat(TestSupport.awaitRecords(inbound, r -> r.value() instanceof InboundMessage m
                    && m.getMessageId().equals(wamid))).isNotEmpty();
        }
    }

    @Test
    void shouldAnswerEachListenersOwnPathsOnly() {
        byte[] body = TestSupport.whatsAppText("100000000000001", "31600000012", "wamid.WRONG-PORT",
                Instant.now().getEpochSecond(), "hello").getBytes(StandardCharsets.UTF_8);

        // A webhook on the main port: 404 (the providers are configured with the webhooks' port)
        postWhatsApp(main, body).expectStatus().isNotFound();
        // The agents' API on the webhooks' port: 404, not 401 (nothing there to authenticate for)
        webhooks.get().uri("/api/v1/conversations").exchange().expectStatus().isNotFound();
        webhooks.get().uri("/console/").exchange().expectStatus().isNotFound();
        // The agents' API on the main port: there (401 without a token)
        main.get().uri("/api/v1/conversations").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldServeWebhooksWithTheMainListenersHttpSettings() {
        // Given a handshake whose request line is longer than Netty's default 4 KB (server.netty.max-initial-line-length)
        String challenge = "7".repeat(8 * 1024);

        // When it arrives on the webhooks' port, Then it is answered as on the main port: the challenge echoed
        webhooks.get().uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=local-dev-verify-token&hub.challenge="
                + challenge).exchange().expectStatus().isOk().expectBody(String.class).isEqualTo(challenge);
    }

    /**
     * A header above the limit is answered 431 with {@code Connection: close} before the request is read; the client
     * may still be sending its body. The connection must end after the answer (a lingering close), not be reset under
     * the client's feet, which would lose the answer.
     */
    @Test
    void shouldLetAClientStillSendingItsBodyReadTheAnswerToAHeaderTooLarge() throws IOException {
        // Given a webhook whose signature header is above the header limit, with a body of 16 MiB
        byte[] body = new byte[16 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        String head = "POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "X-Hub-Signature-256: " + "9".repeat(32 * 1024) + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(30_000);

            // When the client sends all of it before it reads, as HTTP/1.1 clients do
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            // Then it reads the 431, and the connection ends after it
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 431").containsIgnoringCase("connection: close");
        }
    }

    private static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    private static WebTestClient.ResponseSpec postWhatsApp(WebTestClient client, byte[] body) {
        return client.post().uri("/webhooks/whatsapp").header("X-Hub-Signature-256", TestSupport.metaSignature(SECRET, body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
