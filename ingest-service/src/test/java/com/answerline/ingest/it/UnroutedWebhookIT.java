package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.answerline.avro.InboundMessage;
import com.answerline.avro.UnroutedWebhook;
import com.answerline.avro.WebhookSource;
import com.answerline.ingest.identity.IdentityDirectory;
import com.answerline.ingest.webhook.sms.TwilioSignatureVerifier;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * Webhooks for business numbers no tenant owns, against the real broker: answered 200, kept verbatim on
 * unrouted-webhooks, never at the cost of the routed entries of the same POST; value-level errors are counted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "management.server.port=0",
        "spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
        "answerline.ingest.twilio.public-base-url=https://ingest.example.test",
        "logging.level.kafka=WARN", "logging.level.state.change.logger=WARN", "logging.level.org.apache.kafka=WARN"})
@AutoConfigureWebTestClient
class UnroutedWebhookIT {

    private static final String SECRET = "local-dev-app-secret";
    private static final LoopbackKafkaBroker BROKER = LoopbackKafkaBroker.start();

    @Autowired
    WebTestClient client;

    @Autowired
    IdentityDirectory identityDirectory;

    @Autowired
    MeterRegistry meters;

    @LocalManagementPort
    int managementPort;

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
    void patientClient() {
        TestSupport.awaitIdentityDirectory(identityDirectory);
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void shouldPublishTheRoutedEntryAndKeepTheRawBodyForTheUnroutedOne() {
        // Given one POST with an entry for a configured number and one for a number no tenant owns
        double unroutedBefore = meters.counter("ingest.webhook.unrouted", "channel", "whatsapp").count();
        String routed = "wamid.MIXED-OK-" + UUID.randomUUID();
        String stray = "wamid.MIXED-STRAY-" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        String good = TestSupport.whatsAppText("100000000000001", "31600000003", routed, now, "good");
        String bad = TestSupport.whatsAppText("100000000000999", "31600000004", stray, now, "stray");
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[" + entry(good) + "," + entry(bad) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        String signature = TestSupport.metaSignature(SECRET, body);
        try (KafkaConsumer<String, Object> inbound = TestSupport.consumer(BROKER.bootstrapServers(), Topics.INBOUND_MESSAGES.name());
             KafkaConsumer<String, Object> unrouted = TestSupport.consumer(BROKER.bootstrapServers(), Topics.UNROUTED_WEBHOOKS.name())) {
            // When
            postWhatsApp(body, signature).expectStatus().isOk();
            // Then the routed message is on inbound-messages, the stray one is not
            List<ConsumerRecord<String, Object>> messages = TestSupport.awaitRecords(inbound, r -> messageId(r).equals(routed));
            assertThat(messages).noneMatch(r -> messageId(r).equals(stray));
            // and the whole signed body is on unrouted-webhooks, keyed by the unknown phone_number_id
            ConsumerRecord<String, Object> kept = single(TestSupport.awaitRecords(unrouted,
                    r -> r.value() instanceof UnroutedWebhook w && w.getPayload().contains(stray)), stray);
            assertThat(kept.key()).isEqualTo("100000000000999");
            UnroutedWebhook value = (UnroutedWebhook) kept.value();
            assertThat(value.getTenantId()).isEqualTo("unrouted");
            assertThat(value.getConversationId()).isNull();
            assertThat(value.getSource()).isEqualTo(WebhookSource.WHATSAPP);
            assertThat(value.getEndpoint()).isEqualTo("/webhooks/whatsapp");
            assertThat(value.getBusinessNumber()).isEqualTo("100000000000999");
            assertThat(value.getPayload().getBytes(StandardCharsets.UTF_8)).isEqualTo(body);
            assertThat(value.getSignature()).isEqualTo(signature);
            assertThat(meters.counter("ingest.webhook.unrouted", "channel", "whatsapp").count()).isEqualTo(unroutedBefore + 1);
        }
    }

    @Test
    void shouldKeepAWebhookWhoseEntryIdIsAnotherTenantsWabaAsUnroutedWithTheCause() {
        // Given a signed webhook for tenant other's number (100000000000002, WABA 200000000000002) whose entry
        // names demo's WABA (200000000000001)
        String wamid = "wamid.WABA-MISMATCH-" + UUID.randomUUID();
        byte[] body = TestSupport.whatsAppText("100000000000002", "31600000006", wamid, Instant.now().getEpochSecond(),
                "whose?").getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<String, Object> unrouted = TestSupport.consumer(BROKER.bootstrapServers(), Topics.UNROUTED_WEBHOOKS.name())) {
            // When
            postWhatsApp(body, TestSupport.metaSignature(SECRET, body)).expectStatus().isOk();
            // Then it is kept as unrouted, keyed by the number, with the cause
            ConsumerRecord<String, Object> kept = single(TestSupport.awaitRecords(unrouted,
                    r -> r.value() instanceof UnroutedWebhook w && w.getPayload().contains(wamid)), wamid);
            assertThat(kept.key()).isEqualTo("100000000000002");
            assertThat(((UnroutedWebhook) kept.value()).getReason())
                    .isEqualTo("entry.id is not the WABA of the tenant that owns phone_number_id");
            // and no tenant got the message (the 200 waited for every record of the POST)
            assertThat(TestSupport.readToEnd(BROKER.bootstrapServers(), Topics.INBOUND_MESSAGES.name()))
                    .noneMatch(r -> messageId(r).equals(wamid));
        }
    }

    @Test
    void shouldKeepAnUnroutedBodyLargerThanTheBrokersDefaultRecordLimit() {
        // Given a 2.5 MB webhook (a long text) for a number no tenant owns: above Kafka's 1 MiB default
        String wamid = "wamid.LARGE-" + UUID.randomUUID();
        byte[] body = TestSupport.whatsAppText("100000000000998", "31600000005", wamid, Instant.now().getEpochSecond(),
                "x".repeat(2_500_000)).getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<String, Object> unrouted = TestSupport.consumer(BROKER.bootstrapServers(), Topics.UNROUTED_WEBHOOKS.name())) {
            // When
            postWhatsApp(body, TestSupport.metaSignature(SECRET, body)).expectStatus().isOk();
            // Then it is on the topic, whole
            ConsumerRecord<String, Object> kept = single(TestSupport.awaitRecords(unrouted,
                    r -> r.value() instanceof UnroutedWebhook w && w.getPayload().contains(wamid)), wamid);
            assertThat(((UnroutedWebhook) kept.value()).getPayload()).hasSize(body.length);
        }
    }

    @Test
    void shouldKeepAnSmsToANumberNoTenantOwns() {
        // Given a signed inbound SMS to a number that is not configured
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("From", "+31612345678");
        form.add("To", "+15559999999");
        form.add("Body", "hello");
        form.add("MessageSid", sid);
        String signature = new TwilioSignatureVerifier("local-dev-twilio-auth-token")
                .sign("https://ingest.example.test/webhooks/sms", form);
        double before = meters.counter("ingest.webhook.unrouted", "channel", "sms").count();
        try (KafkaConsumer<String, Object> unrouted = TestSupport.consumer(BROKER.bootstrapServers(), Topics.UNROUTED_WEBHOOKS.name())) {
            // When
            client.post().uri("/webhooks/sms").header("X-Twilio-Signature", signature)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
                    .exchange().expectStatus().isOk();
            // Then
            ConsumerRecord<String, Object> kept = single(TestSupport.awaitRecords(unrouted,
                    r -> r.value() instanceof UnroutedWebhook w && w.getPayload().contains(sid)), sid);
            assertThat(kept.key()).isEqualTo("15559999999");
            UnroutedWebhook value = (UnroutedWebhook) kept.value();
            assertThat(value.getSource()).isEqualTo(WebhookSource.SMS);
            assertThat(value.getEndpoint()).isEqualTo("/webhooks/sms");
            assertThat(value.getPayload()).isEqualTo("Body=hello&From=%2B31612345678&MessageSid=" + sid + "&To=%2B15559999999");
            assertThat(value.getSignature()).isEqualTo(signature);
            assertThat(meters.counter("ingest.webhook.unrouted", "channel", "sms").count()).isEqualTo(before + 1);
        }
    }

    @Test
    void shouldCountValueLevelErrorsByCodeAndStillPublishTheMessagesBesideThem() throws IOException {
        // Given Meta's value-level errors (131000, 130472) next to an unsupported message
        byte[] body;
        try (InputStream in = UnroutedWebhookIT.class.getResourceAsStream("/whatsapp/value-errors.json")) {
            body = in.readAllBytes();
        }
        double before = meters.counter("ingest.webhook.value.errors", "code", "131000").count();
        try (KafkaConsumer<String, Object> inbound = TestSupport.consumer(BROKER.bootstrapServers(), Topics.INBOUND_MESSAGES.name())) {
            // When
            postWhatsApp(body, TestSupport.metaSignature(SECRET, body)).expectStatus().isOk();
            // Then they are counted by code, and the message is published with its type name
            assertThat(meters.counter("ingest.webhook.value.errors", "code", "131000").count()).isEqualTo(before + 1);
            assertThat(meters.counter("ingest.webhook.value.errors", "code", "130472").count()).isGreaterThanOrEqualTo(1);
            List<ConsumerRecord<String, Object>> seen = TestSupport.awaitRecords(inbound,
                    r -> messageId(r).equals("wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUI0"));
            assertThat(seen).filteredOn(r -> messageId(r).equals("wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUI0"))
                    .first().satisfies(r -> assertThat(((InboundMessage) r.value()).getType()).isEqualTo("unsupported"));
        }
        // And Prometheus (on the management port) shows the counter
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text).contains("ingest_webhook_value_errors_total{code=\"131000\"}"));
    }

    /** The single entry object of a one-entry webhook built by {@link TestSupport#whatsAppText}. */
    private static String entry(String webhook) {
        String start = "\"entry\":[";
        int from = webhook.indexOf(start) + start.length();
        int to = webhook.lastIndexOf("]}");
        return webhook.substring(from, to);
    }

    private WebTestClient.ResponseSpec postWhatsApp(byte[] body, String signature) {
        return client.post().uri("/webhooks/whatsapp").header("X-Hub-Signature-256", signature)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String messageId(ConsumerRecord<String, Object> record) {
        return record.value() instanceof InboundMessage m ? m.getMessageId() : "";
    }

    private static ConsumerRecord<String, Object> single(List<ConsumerRecord<String, Object>> records, String marker) {
        List<ConsumerRecord<String, Object>> matching = records.stream()
                .filter(r -> r.value() instanceof UnroutedWebhook w && w.getPayload().contains(marker)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }
}
