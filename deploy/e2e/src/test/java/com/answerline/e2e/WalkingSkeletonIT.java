package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The walking skeleton on the real stack: sandbox customer -> signed webhook -> ingest -> inbound-messages ->
 * session-service (window) -> agent reply through the gateway -> reply-commands -> dispatch-service -> the
 * sandbox phone. Everything over HTTP with plain JSON, as the README tour does it.
 */
@ExtendWith(LocalStackExtension.class)
class WalkingSkeletonIT {

    // Demo configuration (local-development values): tenant "demo" owns this business number.
    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final String DISPLAY_NUMBER = "15550000001";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private final StackHttp http = new StackHttp();

    @Test
    void shouldDeliverTheAgentsReplyAsWhatsAppTextWhileTheWindowIsOpen() {
        // Given a customer who has just written
        String customer = "15551230001";
        String conversationId = customerWrites(customer, "Hello", null);
        assertThat(session(conversationId).<Boolean>read("$.windowOpen")).as("window open").isTrue();

        // When an agent of the tenant replies through the gateway
        StackHttp.Response reply = agentReplies(conversationId, "Hi, how can we help?");

        // Then the command is accepted and the customer's phone shows a WhatsApp text
        assertThat(reply.status()).as("gateway reply: %s", reply).isEqualTo(202);
        assertThat(reply.<String>read("$.commandId")).isNotBlank();
        await("WhatsApp text on the phone of " + customer).atMost(DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(phone(customer))
                        .anySatisfy(message -> {
                            assertThat(message.get("channel")).isEqualTo("WHATSAPP");
                            assertThat(message.get("text")).isEqualTo("Hi, how can we help?");
                        }));
        assertThat(phone(customer)).noneSatisfy(message -> assertThat(message.get("channel")).isEqualTo("SMS"));
    }

    @Test
    void shouldFallBackToSmsWithTheContinueLinkWhenTheCustomersLastMessageIsOlderThan24Hours() {
        // Given a customer whose last message was 25 hours ago: the customer-service window is closed
        String customer = "15551230002";
        String conversationId = customerWrites(customer, "Anyone there?", Instant.now().minus(Duration.ofHours(25)));
        assertThat(session(conversationId).<Boolean>read("$.windowOpen")).as("window open").isFalse();

        // When an agent replies with SMS as the fallback
        StackHttp.Response reply = agentReplies(conversationId, "Sorry for the wait");

        // Then the phone shows an SMS with the text and the link that re-opens the WhatsApp conversation
        assertThat(reply.status()).as("gateway reply: %s", reply).isEqualTo(202);
        await("SMS on the phone of " + customer).atMost(DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(phone(customer))
                        .anySatisfy(message -> {
                            assertThat(message.get("channel")).isEqualTo("SMS");
                            assertThat((String) message.get("text"))
                                    .contains("Sorry for the wait")
                                    .contains("https://wa.me/" + DISPLAY_NUMBER);
                        }));
        assertThat(phone(customer)).noneSatisfy(message -> assertThat(message.get("channel")).isEqualTo("WHATSAPP"));
    }

    /**
     * The sandbox customer writes (optionally back-dated); returns the conversation id once session-service
     * knows the conversation, so the reply is routed against the real window, not against "no session yet".
     */
    private String customerWrites(String customer, String text, Instant sentAt) {
        String sentAtField = sentAt == null ? "" : ",\"sentAt\":\"" + sentAt + "\"";
        StackHttp.Response inbound = http.postJson(StackHttp.SANDBOX + "/sandbox/customers/" + customer + "/messages",
                "{\"phoneNumberId\":\"" + PHONE_NUMBER_ID + "\",\"text\":\"" + text + "\"" + sentAtField + "}");
        assertThat(inbound.status()).as("sandbox customer simulator: %s", inbound).isBetween(200, 299);
        String conversationId = PHONE_NUMBER_ID + ":" + customer;
        await("session of " + conversationId + " in session-service").atMost(DELIVERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> session(conversationId).status() == 200);
        return conversationId;
    }

    private StackHttp.Response session(String conversationId) {
        return http.session("/api/v1/conversations/" + conversationId);
    }

    /** Agent agent-7 of tenant demo replies through the gateway with SMS as the fallback. */
    private StackHttp.Response agentReplies(String conversationId, String text) {
        String token = http.agentToken("agent-7", "demo");
        return http.postJson(StackHttp.INGEST + "/api/v1/conversations/" + conversationId + "/replies",
                "{\"text\":\"" + text + "\",\"fallback\":\"SMS\"}", token);
    }

    private List<Map<String, Object>> phone(String customer) {
        StackHttp.Response response = http.get(StackHttp.SANDBOX + "/sandbox/phones/" + customer);
        assertThat(response.status()).as("sandbox phone: %s", response).isEqualTo(200);
        return response.read("$[*]");
    }
}
