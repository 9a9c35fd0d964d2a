package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.ConversationPartitioner;

/**
 * An upstream system on Confluent's Python client (Debian's python3-confluent-kafka: librdkafka, default settings,
 * so the {@code consistent_random} partitioner) produces to every upstream-facing topic through
 * docs/examples/upstream_producer.py, the example docs/upstream-producers.md shows. Every conversation here is one
 * librdkafka puts on another partition than Java does: without the upstream guard each record below would be folded
 * into a second session, or rejected as UNKNOWN_CONVERSATION (issue 15).
 */
@ExtendWith(LocalStackExtension.class)
class UpstreamProducersIT {

    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path EXAMPLE = LocalStackExtension.repoRoot().resolve("docs/examples/upstream_producer.py");
    private static final String KAFKA = "127.0.0.1:" + StackHttp.port("ANSWERLINE_KAFKA_PORT", 9092);
    private static final String REGISTRY = "http://127.0.0.1:" + StackHttp.port("ANSWERLINE_REGISTRY_PORT", 8085)
            + "/apis/ccompat/v7";

    private final StackHttp http = new StackHttp();
    private final String agent = http.agentToken("agent-7", "demo");

    @BeforeAll
    static void guardingServicesPublishedTheContracts() {
        // session-service and dispatch-service register the guarded topics' schemas when they start
        StackHttp http = new StackHttp();
        for (String topic : List.of("inbound-messages", "reply-commands", "assignment-changes", "reply-cancellations",
                "delivery-statuses")) {
            await(topic + "-value in the registry").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> http.get(REGISTRY + "/subjects/" + topic + "-value/versions/latest").status() == 200);
        }
    }

    @Test
    void shouldFoldAPythonProducersMessageIntoTheConversationsOneSession() {
        // Given a customer who wrote through WhatsApp (ingest, Java's partitioner)
        String conversation = customerWrites(misplacedCustomer(0), Instant.now());

        // When the upstream system produces a second message of that conversation with librdkafka's defaults
        int partition = produce("inbound-messages", """
                {"tenantId":"demo","conversationId":"%s","phoneNumberId":"%s","channel":"WHATSAPP",
                 "messageId":"wamid.upstream-%s","customerPhone":"%s","type":"text","text":"Sent from the CRM",
                 "sentAt":%d,"receivedAt":%d}""".formatted(conversation, PHONE_NUMBER_ID, UUID.randomUUID(),
                customerOf(conversation), Instant.now().toEpochMilli(), Instant.now().toEpochMilli()));

        // Then librdkafka did put it elsewhere, and the conversation's one session folded both messages
        assertThat(partition).as("librdkafka's partition").isEqualTo(librdkafkaPartition(conversation))
                .isNotEqualTo(javaPartition(conversation));
        await("both messages in one session").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> session(conversation).<Integer>read("$.inboundCount") == 2);

        // When the upstream system assigns the conversation
        String assignee = "agent-upstream-" + UUID.randomUUID();
        produce("assignment-changes", """
                {"tenantId":"demo","conversationId":"%s","assigneeId":"%s","changedBy":"crm","changedAt":%d}"""
                .formatted(conversation, assignee, Instant.now().toEpochMilli()));

        // Then the assignment is on that same session: listing the assignee's conversations finds exactly it
        await("assignment applied").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> assignee.equals(session(conversation).read("$.assigneeId")));
        StackHttp.Response assigned = http.session("/api/v1/conversations?assignee=" + assignee);
        assertThat(assigned.<List<String>>read("$.items[*].conversationId")).containsExactly(conversation);
        assertThat(assigned.<List<Integer>>read("$.items[*].inboundCount")).containsExactly(2);
    }

    @Test
    void shouldSendAPythonProducersReplyOnceAndFailItOverOnItsFailedStatus() {
        // Given an open conversation
        String customer = misplacedCustomer(1);
        String conversation = customerWrites(customer, Instant.now());

        // When the upstream system produces a reply command with librdkafka's defaults
        String commandId = "upstream-" + UUID.randomUUID();
        produce("reply-commands", """
                {"commandId":"%s","tenantId":"demo","conversationId":"%s","agentId":"crm-bot",
                 "text":"Your order has shipped","fallback":"SMS","issuedAt":%d}"""
                .formatted(commandId, conversation, Instant.now().toEpochMilli()));

        // Then it is sent on WhatsApp once (not REJECTED UNKNOWN_CONVERSATION on a partition without the session)
        String outcomeUrl = StackHttp.INGEST + "/api/v1/replies/" + commandId;
        Map<String, Object> sent = http.awaitOutcome(outcomeUrl, agent, "status", "SENT", TIMEOUT);
        assertThat(sent).containsEntry("channel", "WHATSAPP");
        assertThat(texts(customer, "WHATSAPP")).containsExactly("Your order has shipped");

        // When the upstream system (a provider bridge, say) reports WhatsApp refused it: 131047, window closed
        produce("delivery-statuses", """
                {"tenantId":"demo","conversationId":"%s","phoneNumberId":"%s","channel":"WHATSAPP",
                 "providerMessageId":"%s","status":"FAILED","recipientPhone":"%s",
                 "errors":[{"code":131047,"title":"Re-engagement message"}],"occurredAt":%d,"receivedAt":%d}"""
                .formatted(conversation, PHONE_NUMBER_ID, sent.get("providerMessageId"), customer,
                        Instant.now().toEpochMilli(), Instant.now().toEpochMilli()));

        // Then dispatch finds the send in the conversation's ledger partition and falls back to SMS, once
        Map<String, Object> failover = http.awaitOutcome(outcomeUrl, agent, "step", "FAILOVER", TIMEOUT);
        assertThat(failover).containsEntry("channel", "SMS").containsEntry("reason", "DELIVERY_FAILED_SMS_FALLBACK");
        assertThat(texts(customer, "SMS")).singleElement().asString().startsWith("Your order has shipped");
        assertThat(texts(customer, "WHATSAPP")).hasSize(1);
    }

    @Test
    void shouldApplyAPythonProducersCancellationOfAHeldAnswer() {
        // Given an answer held behind the invitation template (the customer's window closed a hour ago)
        String conversation = customerWrites(misplacedCustomer(2), Instant.now().minus(Duration.ofHours(25)));
        String outcomeUrl = http.reply(conversation, "{\"text\":\"Held answer\",\"fallback\":\"TEMPLATE_THEN_HOLD\"}", agent);
        http.awaitOutcome(outcomeUrl, agent, "status", "HELD", TIMEOUT);
        String commandId = outcomeUrl.substring(outcomeUrl.lastIndexOf('/') + 1);

        // When the upstream system cancels it with librdkafka's defaults
        produce("reply-cancellations", """
                {"commandId":"%s","tenantId":"demo","conversationId":"%s","agentId":"agent-7","requestedAt":%d}"""
                .formatted(commandId, conversation, Instant.now().toEpochMilli()));

        // Then the held answer ends CANCELLED
        assertThat(http.awaitOutcome(outcomeUrl, agent, "status", "CANCELLED", TIMEOUT)).containsEntry("final", true);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"murmur2_random", "random", "explicit partition"})
    void shouldFoldAMessageWhateverPartitionTheProducerChose(String placement) {
        // Given a conversation, and a producer that places it with librdkafka's murmur2 (as Java does), at random, or
        // on a partition it names (one that is not the conversation's)
        String conversation = PHONE_NUMBER_ID + ":" + misplacedCustomer(10 + List.of("murmur2_random", "random",
                "explicit partition").indexOf(placement));
        List<String> options = switch (placement) {
            case "explicit partition" -> List.of("--partition",
                    Integer.toString((javaPartition(conversation) + 1) % Topics.CONVERSATION_PARTITIONS));
            default -> List.of("--partitioner", placement);
        };

        // When it writes the conversation's first message
        int partition = produce("inbound-messages", """
                {"tenantId":"demo","conversationId":"%s","phoneNumberId":"%s","channel":"WHATSAPP",
                 "messageId":"wamid.placement-%s","customerPhone":"%s","type":"text","text":"Hi","sentAt":%d,"receivedAt":%d}"""
                .formatted(conversation, PHONE_NUMBER_ID, UUID.randomUUID(), customerOf(conversation),
                        Instant.now().toEpochMilli(), Instant.now().toEpochMilli()), options);

        // Then it is folded once into the conversation's session, wherever it was written
        if (placement.equals("murmur2_random")) {
            assertThat(partition).as("librdkafka's murmur2 places keys as Java does").isEqualTo(javaPartition(conversation));
        }
        if (placement.equals("explicit partition")) {
            assertThat(partition).isNotEqualTo(javaPartition(conversation));
        }
        await("message folded").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> session(conversation).status() == 200);
        assertThat(session(conversation).<Integer>read("$.inboundCount")).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAPythonProducersRecordForABusinessNumberNoTenantOwns() {
        // When the upstream system writes a message for a phone_number_id no tenant owns
        String unowned = "999999999999999:" + misplacedCustomer(3);
        produce("inbound-messages", """
                {"tenantId":"demo","conversationId":"%s","phoneNumberId":"999999999999999","channel":"WHATSAPP",
                 "messageId":"wamid.unowned-%s","type":"text","text":"Nobody's","sentAt":%d,"receivedAt":%d}"""
                .formatted(unowned, UUID.randomUUID(), Instant.now().toEpochMilli(), Instant.now().toEpochMilli()));

        // Then session-service counts it as dead-lettered and it never becomes a session
        await("dead letter counted").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(http.getText(StackHttp.SESSION_MANAGEMENT + "/actuator/prometheus").body()).containsPattern(
                        "answerline_upstream_rejected_total\\{[^}]*rule=\"UNKNOWN_BUSINESS_NUMBER\"[^}]*topic=\"inbound-messages\"[^}]*} [1-9]"));
        assertThat(http.session("/api/v1/conversations/" + unowned).status()).isEqualTo(404);
    }

    /** A customer number whose conversation librdkafka's default partitioner puts on another partition than Java's. */
    private static String misplacedCustomer(int nth) {
        return IntStream.range(0, 10_000).mapToObj(i -> "1555737" + String.format("%04d", i))
                .filter(customer -> {
                    String conversation = PHONE_NUMBER_ID + ":" + customer;
                    return librdkafkaPartition(conversation) != javaPartition(conversation);
                })
                .skip(nth).findFirst().orElseThrow();
    }

    private static int javaPartition(String conversation) {
        return ConversationPartitioner.partitionOf(conversation, Topics.CONVERSATION_PARTITIONS);
    }

    /** librdkafka's consistent_random: CRC32 of the key, modulo the partition count (DOMAIN.md 7a). */
    private static int librdkafkaPartition(String conversation) {
        CRC32 crc = new CRC32();
        crc.update(conversation.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % Topics.CONVERSATION_PARTITIONS);
    }

    private static String customerOf(String conversation) {
        return conversation.substring(conversation.indexOf(':') + 1);
    }

    private String customerWrites(String customer, Instant sentAt) {
        return http.customerWrites(PHONE_NUMBER_ID, customer, sentAt, TIMEOUT);
    }

    private StackHttp.Response session(String conversation) {
        return http.session("/api/v1/conversations/" + conversation);
    }

    private List<String> texts(String customer, String channel) {
        return http.get(StackHttp.SANDBOX + "/sandbox/phones/" + customer)
                .read("$[?(@.channel == '" + channel + "')].text");
    }

    /** Runs the documented example at its defaults; returns the partition librdkafka wrote to. */
    private static int produce(String topic, String recordJson) {
        return produce(topic, recordJson, List.of());
    }

    /** Runs the documented example with {@code options} (e.g. {@code --partitioner random}); returns the partition. */
    private static int produce(String topic, String recordJson, List<String> options) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3", EXAMPLE.toString(),
                    "--bootstrap-servers", KAFKA, "--registry", REGISTRY));
            command.addAll(options);
            command.addAll(List.of(topic, recordJson.replace("\n", " ")));
            Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!python.waitFor(60, TimeUnit.SECONDS)) {
                python.destroyForcibly();
                throw new AssertionError("upstream_producer.py did not finish within 60 s");
            }
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(python.exitValue()).as("upstream_producer.py: %s", output).isZero();
            String last = output.lines().reduce((first, second) -> second).orElse("");
            return com.jayway.jsonpath.JsonPath.read(last, "$.partition");
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + EXAMPLE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
