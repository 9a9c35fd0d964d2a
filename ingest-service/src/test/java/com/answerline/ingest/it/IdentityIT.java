package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.answerline.avro.CustomerIdentity;
import com.answerline.avro.IdentifierKind;
import com.answerline.avro.InboundMessage;
import com.answerline.ingest.IngestApplication;
import com.answerline.ingest.identity.CustomerIdentities;
import com.answerline.ingest.identity.IdentityDirectory;
import com.answerline.ingest.webhook.sms.TwilioSignatureVerifier;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The customer identity directory against the real broker and the real HTTP webhooks: a customer who first
 * writes with phone and BSUID keeps one conversation when later webhooks carry only the BSUID (username-only) or
 * come by SMS from the phone; the identities are on customer-identities; a restarted application (with an empty
 * state folder, so only the topic can tell) still knows them. Each context is started by hand, so a test can
 * stop one and start another against the same broker.
 */
class IdentityIT {

    private static final String SECRET = "local-dev-app-secret";
    private static final String BUSINESS = "100000000000001";
    private static final LoopbackKafkaBroker BROKER = LoopbackKafkaBroker.start();
    private static final Random RANDOM = new Random();

    @AfterAll
    static void stopBroker() {
        BROKER.close();
    }

    @Test
    void shouldKeepOneConversationPerCustomerAcrossBsuidOnlyMessagesSmsAndARestart() {
        String phone = "3161" + (1_000_000 + RANDOM.nextInt(8_999_999));
        String bsuid = "NL." + Math.abs(RANDOM.nextLong());
        String conversation = BUSINESS + ":" + phone;
        long now = Instant.now().getEpochSecond();
        String first = "wamid.FIRST-" + UUID.randomUUID();
        String usernameOnly = "wamid.USERNAME-" + UUID.randomUUID();
        String sms = "SM" + UUID.randomUUID().toString().replace("-", "");
        String afterRestart = "wamid.AFTER-" + UUID.randomUUID();

        try (ConfigurableApplicationContext app = startIngest()) {
            WebTestClient client = client(app);
            // Given the customer's first message carries their number and their BSUID
            postWhatsApp(client, message(phone, bsuid, first, now)).expectStatus().isOk();
            // When a username-only message (BSUID, no number) and an SMS from their number follow right away
            postWhatsApp(client, message(null, bsuid, usernameOnly, now + 1)).expectStatus().isOk();
            postSms(client, "+" + phone, sms).expectStatus().isOk();
            // Then all three are in the first conversation
            assertThat(awaitMessages(first, usernameOnly, sms)).allSatisfy(record -> {
                assertThat(record.key()).isEqualTo(conversation);
                assertThat(((InboundMessage) record.value()).getConversationId()).isEqualTo(conversation);
            });
            // and both identifiers are on the directory's topic, pointing at it, each once
            List<CustomerIdentity> identities = awaitIdentities(phone, bsuid);
            assertThat(identities).extracting(CustomerIdentity::getConversationId).containsOnly(conversation);
            assertThat(identities).extracting(CustomerIdentity::getKind)
                    .containsExactlyInAnyOrder(IdentifierKind.PHONE, IdentifierKind.BSUID);
        }

        // When the application restarts with an empty state folder (the directory can only come from the topic)
        try (ConfigurableApplicationContext app = startIngest()) {
            // Then a username-only message still lands in the customer's conversation
            postWhatsApp(client(app), message(null, bsuid, afterRestart, now + 2)).expectStatus().isOk();
            assertThat(awaitMessages(afterRestart)).singleElement()
                    .satisfies(record -> assertThat(record.key()).isEqualTo(conversation));
        }
    }

    @Test
    void shouldRunTheDirectoryInTheStartedStreamsAppAndReportItInHealth() {
        try (ConfigurableApplicationContext app = startIngest()) {
            // Both parts of the Streams app are in the topology Spring started
            String topology = app.getBean(StreamsBuilderFactoryBean.class).getTopology().describe().toString();
            assertThat(topology).contains(CustomerIdentities.STORE).contains("reply-outcomes-store");
            // The store answers, and health and readiness say so
            assertThat(app.getBean(IdentityDirectory.class).queryable()).isTrue();
            WebTestClient management = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port"))
                    .responseTimeout(Duration.ofSeconds(30)).build();
            management.get().uri("/actuator/health/identityDirectory").exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
            management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        }
    }

    @Test
    void shouldPublishARedeliveredWebhookWithTheSameKeyAndWamid() {
        String phone = "3162" + (1_000_000 + RANDOM.nextInt(8_999_999));
        String wamid = "wamid.TWICE-" + UUID.randomUUID();
        byte[] body = message(phone, "NL." + Math.abs(RANDOM.nextLong()), wamid, Instant.now().getEpochSecond());
        try (ConfigurableApplicationContext app = startIngest()) {
            WebTestClient client = client(app);
            // When Meta delivers the same webhook twice
            postWhatsApp(client, body).expectStatus().isOk();
            postWhatsApp(client, body).expectStatus().isOk();
            // Then both copies carry the same event identity (conversation key + wamid, and the same event time),
            // which is what session-service's seen-events store recognises and drops
            List<ConsumerRecord<String, Object>> copies = awaitCopies(Topics.INBOUND_MESSAGES.name(), wamid, 2);
            assertThat(copies).hasSize(2);
            assertThat(copies).extracting(ConsumerRecord::key).containsOnly(BUSINESS + ":" + phone);
            assertThat(copies).extracting(ConsumerRecord::timestamp).containsOnly(copies.get(0).timestamp());
        }
    }

    @Test
    void shouldDeadLetterAMessageWithAnImpossibleNumberAndStillPublishTheRestOfTheRequest() {
        String phone = "3163" + (1_000_000 + RANDOM.nextInt(8_999_999));
        String bad = "wamid.BADNUMBER-" + UUID.randomUUID();
        String good = "wamid.GOODNUMBER-" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        byte[] body = """
                {"object":"whatsapp_business_account","entry":[{"id":"200000000000001","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000001","phone_number_id":"%s"},
                 "messages":[{"from":"0012","id":"%s","timestamp":"%d","type":"text","text":{"body":"x"}},
                             {"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"y"}}]}}]}]}
                """.formatted(BUSINESS, bad, now, phone, good, now).getBytes(StandardCharsets.UTF_8);
        try (ConfigurableApplicationContext app = startIngest()) {
            // When one POST carries a message from an impossible number next to a good one
            postWhatsApp(client(app), body).expectStatus().isOk();
            // Then the good one is in its conversation, the bad one on inbound-messages-dlt with its cause
            assertThat(awaitMessages(good)).singleElement()
                    .satisfies(record -> assertThat(record.key()).isEqualTo(BUSINESS + ":" + phone));
            ConsumerRecord<String, Object> deadLetter = awaitCopies(Topics.INBOUND_MESSAGES.deadLetter(), bad, 1).get(0);
            assertThat(header(deadLetter, "answerline_dlt-reason")).isEqualTo("invalid-customer-number");
            assertThat(header(deadLetter, "kafka_dlt-exception-message")).contains("E.164");
            assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(Topics.INBOUND_MESSAGES.name());
            assertThat(app.getBean(MeterRegistry.class)
                    .counter("ingest.webhook.dead.letters", "channel", "whatsapp", "topic", "inbound-messages-dlt",
                            "reason", "invalid-customer-number").count()).isEqualTo(1);
            // and it never reached the conversation topic (read to its end: the 200 came after every ack)
            assertThat(readToEnd(Topics.INBOUND_MESSAGES.name())).extracting(IdentityIT::messageId)
                    .contains(good).doesNotContain(bad);
        }
    }

    /** An ingest application on random ports against the broker, with its own empty data folder; directory loaded. */
    private static ConfigurableApplicationContext startIngest() {
        // Command-line arguments: they win over application.yml (builder "properties" would not).
        ConfigurableApplicationContext app = new SpringApplicationBuilder(IngestApplication.class).run(
                "--server.address=127.0.0.1", "--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + BROKER.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
                "--answerline.ingest.data-dir=" + TestSupport.freshDataDir(),
                // Its own consumer group: a closed context's member would hold the next one's start for a session
                // timeout. The global table reads the topic whatever the group.
                "--answerline.ingest.streams.application-id=ingest-it-" + UUID.randomUUID(),
                "--answerline.ingest.twilio.public-base-url=https://ingest.example.test",
                "--logging.level.kafka=WARN", "--logging.level.state.change.logger=WARN",
                "--logging.level.org.apache.kafka=WARN");
        IdentityDirectory directory = app.getBean(IdentityDirectory.class);
        await().atMost(Duration.ofSeconds(60)).until(directory::queryable);
        return app;
    }

    private static WebTestClient client(ConfigurableApplicationContext app) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** A text message as Meta sends it; {@code phone} null makes it username-only (user_id, no wa_id / from). */
    private static byte[] message(String phone, String bsuid, String wamid, long sentAt) {
        String contact = phone == null
                ? "{\"profile\":{\"name\":\"Ada\",\"username\":\"ada.l\"},\"user_id\":\"" + bsuid + "\"}"
                : "{\"profile\":{\"name\":\"Ada\"},\"wa_id\":\"" + phone + "\",\"user_id\":\"" + bsuid + "\"}";
        String sender = phone == null ? "\"from_user_id\":\"" + bsuid + "\"" : "\"from\":\"" + phone + "\"";
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"200000000000001","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000001","phone_number_id":"%s"},
                 "contacts":[%s],
                 "messages":[{%s,"id":"%s","timestamp":"%d","type":"text","text":{"body":"hello"}}]}}]}]}
                """.formatted(BUSINESS, contact, sender, wamid, sentAt).getBytes(StandardCharsets.UTF_8);
    }

    private static WebTestClient.ResponseSpec postWhatsApp(WebTestClient client, byte[] body) {
        return client.post().uri("/webhooks/whatsapp")
                .header("X-Hub-Signature-256", TestSupport.metaSignature(SECRET, body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static WebTestClient.ResponseSpec postSms(WebTestClient client, String from, String sid) {
        var form = new LinkedMultiValueMap<String, String>();
        form.add("From", from);
        form.add("To", "+15550000001");
        form.add("Body", "answering your SMS");
        form.add("MessageSid", sid);
        String signature = new TwilioSignatureVerifier("local-dev-twilio-auth-token")
                .sign("https://ingest.example.test/webhooks/sms", form);
        return client.post().uri("/webhooks/sms").header("X-Twilio-Signature", signature)
                .body(BodyInserters.fromFormData(form)).exchange();
    }

    /** Every inbound-messages record with one of these message ids, once all of them are there. */
    private static List<ConsumerRecord<String, Object>> awaitMessages(String... messageIds) {
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.INBOUND_MESSAGES.name())) {
            List<String> wanted = List.of(messageIds);
            List<ConsumerRecord<String, Object>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                TestSupport.poll(consumer).stream().filter(r -> wanted.contains(messageId(r))).forEach(found::add);
                return found.stream().map(IdentityIT::messageId).distinct().count() == wanted.size();
            });
            return found;
        }
    }

    /** {@code count} records of a topic with this message id (waits for them, then a moment for any extra). */
    private static List<ConsumerRecord<String, Object>> awaitCopies(String topic, String messageId, int count) {
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), topic)) {
            List<ConsumerRecord<String, Object>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                TestSupport.poll(consumer).stream().filter(r -> messageId(r).equals(messageId)).forEach(found::add);
                return found.size() >= count;
            });
            return found;
        }
    }

    /** The customer-identities records of one customer's phone and BSUID, once both are there. */
    private static List<CustomerIdentity> awaitIdentities(String phone, String bsuid) {
        List<String> keys = List.of(CustomerIdentities.key(BUSINESS, phone), CustomerIdentities.key(BUSINESS, bsuid));
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.CUSTOMER_IDENTITIES.name())) {
            List<ConsumerRecord<String, Object>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                TestSupport.poll(consumer).stream().filter(r -> keys.contains(r.key())).forEach(found::add);
                return found.stream().map(ConsumerRecord::key).distinct().count() == keys.size();
            });
            assertThat(found).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
            return found.stream().map(r -> (CustomerIdentity) r.value()).toList();
        }
    }

    /** Every record of a topic, up to its end offsets. */
    private static List<ConsumerRecord<String, Object>> readToEnd(String topic) {
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), topic)) {
            List<ConsumerRecord<String, Object>> all = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                all.addAll(TestSupport.poll(consumer));
                Set<TopicPartition> assigned = consumer.assignment();
                if (assigned.size() < Topics.INBOUND_MESSAGES.partitions()) {
                    return false;
                }
                Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
                return assigned.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
            return all;
        }
    }

    private static String messageId(ConsumerRecord<String, Object> record) {
        return record.value() instanceof InboundMessage m ? m.getMessageId() : "";
    }

    private static String header(ConsumerRecord<String, Object> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(Objects.requireNonNull(header.value()), StandardCharsets.UTF_8);
    }
}
