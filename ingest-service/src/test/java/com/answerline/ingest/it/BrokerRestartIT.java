package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.avro.InboundMessage;
import com.answerline.ingest.identity.IdentityDirectory;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The broker goes away and comes back on the same port, as after a restart: a webhook is answered 503 while it
 * is away (so Meta retries, nothing is 200-and-lost), the same webhook retried afterwards is answered 200 and is on
 * the topic at least once, and neither the message before the outage nor the one after it is lost.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "management.server.port=0",
        "spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
        "answerline.ingest.webhook.publish-timeout=5s",
        "logging.level.kafka=WARN", "logging.level.state.change.logger=WARN", "logging.level.org.apache.kafka=ERROR"})
@AutoConfigureWebTestClient
class BrokerRestartIT {

    private static final String SECRET = "local-dev-app-secret";
    private static final LoopbackKafkaBroker BROKER = LoopbackKafkaBroker.start();

    @Autowired
    WebTestClient client;

    @Autowired
    IdentityDirectory identityDirectory;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
        registry.add("answerline.ingest.data-dir", TestSupport::freshDataDir);
    }

    @AfterAll
    static void closeBroker() {
        BROKER.close();
    }

    @BeforeEach
    void patientClient() {
        TestSupport.awaitIdentityDirectory(identityDirectory);
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void shouldAnswer503WhileTheBrokerIsDownThen200ToTheRetryAndLoseNothing() {
        // Given a message accepted while the broker is up
        long now = Instant.now().getEpochSecond();
        String before = "wamid.BEFORE-" + UUID.randomUUID();
        String during = "wamid.DURING-" + UUID.randomUUID();
        String after = "wamid.AFTER-" + UUID.randomUUID();
        post(webhook(before, now)).expectStatus().isOk();
        byte[] duringBody = webhook(during, now);

        // When the broker stops, a webhook is refused with 503 and Retry-After (Meta will retry it)
        BROKER.stop();
        try {
            post(duringBody).expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
        } finally {
            BROKER.restart();
        }

        // Then, the broker back on the same port, Meta's retry of the same bytes is answered 200 (retried as Meta
        // would while the producer reconnects; every attempt but the last must have been a 503)
        AtomicInteger attempts = new AtomicInteger();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            attempts.incrementAndGet();
            int status = post(duringBody).returnResult(Void.class).getStatus().value();
            assertThat(status).isIn(200, 503);
            return status == 200;
        });
        post(webhook(after, now)).expectStatus().isOk();

        // and every message is on inbound-messages: the one before, the retried one at least once, the one after
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.INBOUND_MESSAGES.name())) {
            List<String> ids = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, Object> record : TestSupport.poll(consumer)) {
                    if (record.value() instanceof InboundMessage message) {
                        ids.add(message.getMessageId());
                    }
                }
                return ids.containsAll(List.of(before, during, after));
            });
            assertThat(ids).containsOnlyOnce(before, after);
            // at least once: an attempt that timed out may still have been delivered once the broker was back
            assertThat(ids.stream().filter(during::equals).count()).isBetween(1L, (long) attempts.get() + 1);
        }
    }

    private static byte[] webhook(String wamid, long sentAt) {
        return TestSupport.whatsAppText("100000000000001", "31612345678", wamid, sentAt, "still there?")
                .getBytes(StandardCharsets.UTF_8);
    }

    private WebTestClient.ResponseSpec post(byte[] body) {
        return client.post().uri("/webhooks/whatsapp")
                .header("X-Hub-Signature-256", TestSupport.metaSignature(SECRET, body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
