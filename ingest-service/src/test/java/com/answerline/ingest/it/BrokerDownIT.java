package com.answerline.ingest.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With no broker reachable, a correctly signed webhook must not be answered 200 (Meta would not retry and the
 * message would be lost): it gets 503, as the customer identity directory cannot load (and the producer would
 * give up too). The application itself starts: its Streams app waits for Kafka off the start-up path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "management.server.port=0",
        "spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
        "spring.kafka.producer.properties.max.block.ms=1000",
        "spring.kafka.admin.auto-create=false",
        "answerline.ingest.webhook.publish-timeout=3s"})
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class BrokerDownIT {

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void nobodyListening(DynamicPropertyRegistry registry) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + closedPort);
        registry.add("answerline.ingest.data-dir", TestSupport::freshDataDir);
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
        // and the failed send is logged without the customer's number or words
        assertThat(logs.getAll()).doesNotContain("31612345678").doesNotContain("please call me back");
    }
}
