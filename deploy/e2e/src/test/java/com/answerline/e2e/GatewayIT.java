package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agents' gateway on the real stack, as an agent's screen uses it: the conversation with the channel a
 * reply would take (read from session-service and dispatch-service over HTTP), the tenant's list, the live
 * event stream, idempotent replies, and the customer identity directory (a username-only message lands in the
 * conversation the customer's phone opened).
 */
@ExtendWith(LocalStackExtension.class)
class GatewayIT {

    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final StackHttp http = new StackHttp();
    private final String agent = http.agentToken("agent-7", "demo");

    @Test
    void shouldPreviewWhatsAppInsideTheWindowAndSmsOutsideIt() {
        // Given one customer who has just written and one whose last message is 25 hours old
        String open = customerWrites("15551240001", Instant.now());
        String closed = customerWrites("15551240002", Instant.now().minus(Duration.ofHours(25)));

        // When the agent opens both conversations
        StackHttp.Response openView = http.get(conversationUrl(open), agent);
        StackHttp.Response closedView = http.get(conversationUrl(closed), agent);

        // Then the window and the channel a text reply would take right now are shown, with the reason
        assertThat(openView.status()).as("%s", openView).isEqualTo(200);
        assertThat(openView.<Boolean>read("$.window.open")).isTrue();
        assertThat(openView.<Integer>read("$.window.secondsLeft")).isBetween(23 * 3600, 24 * 3600);
        assertThat(openView.<String>read("$.window.state")).isEqualTo("OPEN");
        assertThat(openView.<String>read("$.replyPreview.channel")).isEqualTo("WHATSAPP");
        assertThat(openView.<String>read("$.replyPreview.reason")).isEqualTo("WINDOW_OPEN");
        assertThat(closedView.status()).as("%s", closedView).isEqualTo(200);
        assertThat(closedView.<Boolean>read("$.window.open")).isFalse();
        assertThat(closedView.<String>read("$.window.state")).isEqualTo("CLOSED");
        // demo's policy is SMS
        assertThat(closedView.<String>read("$.replyPreview.channel")).isEqualTo("SMS");
        assertThat(closedView.<String>read("$.replyPreview.reason")).isEqualTo("WINDOW_CLOSED_SMS_FALLBACK");

        // And the tenant's list filters by window
        assertThat(listedIds("window=open")).contains(open).doesNotContain(closed);
        assertThat(listedIds("window=closed")).contains(closed).doesNotContain(open);
    }

    @Test
    void shouldAnswer404ToAnAgentOfAnotherTenantExactlyAsForAnUnknownConversation() {
        String conversation = customerWrites("15551240003", Instant.now());
        String otherTenantsAgent = http.agentToken("agent-9", "other");

        StackHttp.Response foreign = http.get(conversationUrl(conversation), otherTenantsAgent);
        StackHttp.Response unknown = http.get(conversationUrl(PHONE_NUMBER_ID + ":15551249999"), agent);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(listedIds("window=open", otherTenantsAgent)).doesNotContain(conversation);
    }

    @Test
    void shouldReturnTheSameCommandForAReplayedIdempotencyKeyAndSendOnce() {
        // Given an open conversation
        String customer = "15551240004";
        String conversation = customerWrites(customer, Instant.now());
        String key = UUID.randomUUID().toString();
        String body = "{\"text\":\"Your parcel left the warehouse\"}";

        // When the agent's client sends the same reply twice with one Idempotency-Key
        StackHttp.Response first = http.postJson(repliesUrl(conversation), body, agent, "Idempotency-Key", key);
        StackHttp.Response replay = http.postJson(repliesUrl(conversation), body, agent, "Idempotency-Key", key);

        // Then both answers name the same command, the second marked as a replay
        assertThat(first.status()).as("%s", first).isEqualTo(202);
        assertThat(replay.status()).as("%s", replay).isEqualTo(202);
        assertThat(replay.<String>read("$.commandId")).isEqualTo(first.<String>read("$.commandId"));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");

        // And once its outcome is final, the phone holds the text exactly once
        String outcomeUrl = StackHttp.INGEST + "/api/v1/replies/" + first.<String>read("$.commandId");
        await("final outcome").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            StackHttp.Response outcome = http.get(outcomeUrl, agent);
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(outcome.<String>read("$.status")).isEqualTo("SENT");
        });
        List<Map<String, Object>> phone = http.get(StackHttp.SANDBOX + "/sandbox/phones/" + customer).read("$[*]");
        assertThat(phone).filteredOn(message -> "Your parcel left the warehouse".equals(message.get("text"))).hasSize(1);

        // And the same key with another body is refused rather than answered with the first command
        StackHttp.Response changed = http.postJson(repliesUrl(conversation), "{\"text\":\"something else\"}", agent,
                "Idempotency-Key", key);
        assertThat(changed.status()).as("%s", changed).isEqualTo(422);
    }

    @Test
    void shouldLandAUsernameOnlyMessageInTheConversationTheCustomersPhoneOpened() {
        // Given a customer who wrote with their phone number (the webhook carries phone and BSUID)
        String customer = "15551240005";
        String conversation = customerWrites(customer, Instant.now());

        // When they write again after hiding their number behind a username (the webhook carries only the BSUID)
        StackHttp.Response hidden = http.postJson(StackHttp.SANDBOX + "/sandbox/customers/" + customer + "/messages",
                "{\"phoneNumberId\":\"" + PHONE_NUMBER_ID + "\",\"text\":\"me again\",\"usernameOnly\":true,"
                        + "\"username\":\"parcelfan\"}");
        assertThat(hidden.status()).as("%s", hidden).isBetween(200, 299);

        // Then session-service folds it into the same conversation (no conversation keyed by the BSUID appears)
        await("second message in " + conversation).atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(http.session("/api/v1/conversations/" + conversation)
                        .<Integer>read("$.inboundCount")).isEqualTo(2));
        String bsuid = hidden.read("$.bsuid");
        assertThat(http.get(conversationUrl(PHONE_NUMBER_ID + ":" + bsuid), agent).status()).isEqualTo(404);
    }

    @Test
    void shouldStreamTheTenantsConversationChangesLive() throws Exception {
        HttpResponse<Stream<String>> stream = http.openEventStream(StackHttp.INGEST + "/api/v1/events", agent);
        try {
            assertThat(stream.statusCode()).isEqualTo(200);
            Iterator<String> lines = stream.body().iterator();
            String customer = "15551240006";
            String conversation = PHONE_NUMBER_ID + ":" + customer;

            // When the customer writes while the agent's screen listens
            customerWrites(customer, Instant.now());

            // Then a conversation event for it arrives (reading lines until it does, bounded by the timeout)
            CompletableFuture<String> event = CompletableFuture.supplyAsync(() -> {
                String type = null;
                while (lines.hasNext()) {
                    String line = lines.next();
                    if (line.startsWith("event:")) {
                        type = line.substring("event:".length()).trim();
                    } else if (line.startsWith("data:") && "conversation".equals(type) && line.contains(conversation)) {
                        return line;
                    }
                }
                return null;
            });
            assertThat(event.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).contains("\"windowOpen\":true");
        } finally {
            stream.body().close();
        }
    }

    /** The customer writes on WhatsApp; returns the conversation id once the gateway can read it. */
    private String customerWrites(String customer, Instant sentAt) {
        StackHttp.Response inbound = http.postJson(StackHttp.SANDBOX + "/sandbox/customers/" + customer + "/messages",
                "{\"phoneNumberId\":\"" + PHONE_NUMBER_ID + "\",\"text\":\"Hello\",\"sentAt\":\"" + sentAt + "\"}");
        assertThat(inbound.status()).as("sandbox customer simulator: %s", inbound).isBetween(200, 299);
        String conversation = PHONE_NUMBER_ID + ":" + customer;
        await("conversation " + conversation + " readable through the gateway").atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> http.get(conversationUrl(conversation), agent).status() == 200);
        return conversation;
    }

    private List<String> listedIds(String query) {
        return listedIds(query, agent);
    }

    private List<String> listedIds(String query, String token) {
        StackHttp.Response page = http.get(StackHttp.INGEST + "/api/v1/conversations?limit=100&" + query, token);
        assertThat(page.status()).as("%s", page).isEqualTo(200);
        return page.read("$.items[*].conversationId");
    }

    private static String conversationUrl(String conversation) {
        return StackHttp.INGEST + "/api/v1/conversations/" + conversation;
    }

    private static String repliesUrl(String conversation) {
        return conversationUrl(conversation) + "/replies";
    }
}
