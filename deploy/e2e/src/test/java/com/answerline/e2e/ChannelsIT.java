package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 5 on the real stack, as the customer's sandbox phone sees it: the three channels (WhatsApp inside the
 * window, SMS with the link back and an approved template outside it), an answer held until the customer comes
 * back (and one the agent cancels), the one fallback after WhatsApp refuses a message late with 131047, and a
 * template whose parameter (the customer's profile name) WhatsApp would refuse as it came (issue 17).
 */
@ExtendWith(LocalStackExtension.class)
class ChannelsIT {

    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final StackHttp http = new StackHttp();
    private final String agent = http.agentToken("agent-7", "demo");

    @AfterEach
    void resetFaults() {
        http.postJson(StackHttp.SANDBOX + "/sandbox/faults", "{\"whatsapp\":{\"mode\":\"OK\"},\"sms\":{\"mode\":\"OK\"}}");
    }

    @Test
    void shouldReachThePhoneOnWhatsAppSmsAndATemplateAsTheWindowAndTheFallbackSay() {
        // Given a customer who has just written and one whose last message is 25 hours old
        String openCustomer = "15551250001";
        String closedCustomer = "15551250002";
        String open = customerWrites(openCustomer, Instant.now());
        String closed = customerWrites(closedCustomer, Instant.now().minus(Duration.ofHours(25)));

        // When the agent answers both, and then the closed one once more asking for a template
        Map<String, Object> whatsApp = finalOutcome(reply(open, "{\"text\":\"Hi, how can we help?\",\"fallback\":\"SMS\"}"));
        Map<String, Object> sms = finalOutcome(reply(closed, "{\"text\":\"Sorry for the wait\",\"fallback\":\"SMS\"}"));
        Map<String, Object> template = finalOutcome(reply(closed, "{\"text\":\"Sorry for the wait\",\"fallback\":\"TEMPLATE\"}"));

        // Then each went out on the channel the window allows, with its reason, segments and cost estimate
        assertThat(whatsApp).containsEntry("status", "SENT").containsEntry("channel", "WHATSAPP")
                .containsEntry("reason", "WINDOW_OPEN");
        assertThat(sms).containsEntry("status", "SENT").containsEntry("channel", "SMS")
                .containsEntry("reason", "WINDOW_CLOSED_SMS_FALLBACK").containsEntry("smsEncoding", "GSM_7")
                .containsEntry("smsSegments", 1);
        assertThat(template).containsEntry("status", "SENT").containsEntry("channel", "WHATSAPP_TEMPLATE")
                .containsEntry("reason", "WINDOW_CLOSED_TEMPLATE_FALLBACK");
        assertThat(sms.get("estimatedCost")).as("SMS cost").isNotNull();
        assertThat(template.get("estimatedCost")).as("template cost").isNotNull();

        // And the phones show exactly those messages
        assertThat(texts(openCustomer, "WHATSAPP")).containsExactly("Hi, how can we help?");
        assertThat(texts(closedCustomer, "SMS")).singleElement().asString()
                .startsWith("Sorry for the wait").contains("https://wa.me/15550000001?text=");
        assertThat(texts(closedCustomer, "WHATSAPP_TEMPLATE")).singleElement().asString().startsWith("Dear ");
    }

    @Test
    void shouldHoldTheAnswerUntilTheCustomerWritesAgainThenSendItOnWhatsApp() {
        // Given a conversation whose window closed an hour ago
        String customer = "15551250003";
        String conversation = customerWrites(customer, Instant.now().minus(Duration.ofHours(25)));

        // When the agent answers with TEMPLATE_THEN_HOLD
        String outcomeUrl = reply(conversation, "{\"text\":\"Your refund is on its way\",\"fallback\":\"TEMPLATE_THEN_HOLD\"}");

        // Then the invitation template goes out now and the answer is held, with its expiry
        Map<String, Object> held = outcome(outcomeUrl, "HELD");
        assertThat(held).containsEntry("final", false).containsEntry("channel", "WHATSAPP_TEMPLATE")
                .containsKey("holdExpiresAt");
        assertThat(texts(customer, "WHATSAPP_TEMPLATE")).singleElement().asString().startsWith("Dear ");
        assertThat(texts(customer, "WHATSAPP")).isEmpty();

        // When the customer writes back (the window re-opens)
        customerWrites(customer, Instant.now());

        // Then the held answer reaches the phone as a normal WhatsApp message, and the command ends SENT
        Map<String, Object> released = outcome(outcomeUrl, "SENT");
        assertThat(released).containsEntry("final", true).containsEntry("channel", "WHATSAPP")
                .containsEntry("reason", "HELD_ANSWER_RELEASED").containsEntry("step", "HELD_ANSWER");
        assertThat(texts(customer, "WHATSAPP")).containsExactly("Your refund is on its way");
    }

    @Test
    void shouldNeverSendAHeldAnswerTheAgentCancelled() {
        String customer = "15551250004";
        String conversation = customerWrites(customer, Instant.now().minus(Duration.ofHours(25)));
        String outcomeUrl = reply(conversation, "{\"text\":\"Cancelled answer\",\"fallback\":\"TEMPLATE_THEN_HOLD\"}");
        String commandId = outcomeUrl.substring(outcomeUrl.lastIndexOf('/') + 1);
        outcome(outcomeUrl, "HELD");

        // When the agent cancels it
        StackHttp.Response cancel = http.delete(StackHttp.INGEST + "/api/v1/replies/" + commandId + "/hold", agent);

        // Then the command ends CANCELLED
        assertThat(cancel.status()).as("%s", cancel).isEqualTo(202);
        assertThat(outcome(outcomeUrl, "CANCELLED")).containsEntry("final", true);

        // And when the customer writes back and the agent answers anew, only the new answer arrives
        customerWrites(customer, Instant.now());
        finalOutcome(reply(conversation, "{\"text\":\"A fresh answer\"}"));
        assertThat(texts(customer, "WHATSAPP")).containsExactly("A fresh answer");
        // A second cancel of a command that is no longer held is refused with the status it has
        assertThat(http.delete(StackHttp.INGEST + "/api/v1/replies/" + commandId + "/hold", agent).status()).isEqualTo(409);
    }

    @Test
    void shouldFallBackToSmsOnceWhenWhatsAppReportsTheWindowClosedAfterAcceptingTheMessage() {
        // Given an open conversation, and WhatsApp accepting the next message only to fail it later with 131047
        String customer = "15551250005";
        String conversation = customerWrites(customer, Instant.now());
        StackHttp.Response fault = http.postJson(StackHttp.SANDBOX + "/sandbox/faults",
                "{\"whatsapp\":{\"mode\":\"WINDOW_CLOSED_LATE\",\"count\":1}}");
        assertThat(fault.status()).as("%s", fault).isBetween(200, 299);

        // When the agent answers (policy SMS)
        String outcomeUrl = reply(conversation, "{\"text\":\"Late but here\",\"fallback\":\"SMS\"}");

        // Then the failed status triggers exactly one SMS fallback, recorded as the FAILOVER step
        Map<String, Object> failover = http.awaitOutcome(outcomeUrl, agent, "step", "FAILOVER", TIMEOUT);
        assertThat(failover).containsEntry("status", "SENT").containsEntry("channel", "SMS")
                .containsEntry("reason", "DELIVERY_FAILED_SMS_FALLBACK");
        assertThat(texts(customer, "SMS")).singleElement().asString().startsWith("Late but here");
        assertThat(texts(customer, "WHATSAPP")).isEmpty();
    }

    @Test
    void shouldSendTheInvitationToACustomerWhoseProfileNameWhatsAppWouldRefuseAsAParameter() {
        // Given a customer whose WhatsApp profile name has a line break, a tab and a run of five spaces (the sandbox,
        // like WhatsApp, refuses such a template parameter with 132018), last message 25 hours ago
        String customer = "15551250006";
        String conversation = PHONE_NUMBER_ID + ":" + customer;
        StackHttp.Response sent = http.postJson(StackHttp.SANDBOX + "/sandbox/customers/" + customer + "/messages",
                "{\"phoneNumberId\":\"" + PHONE_NUMBER_ID + "\",\"text\":\"Hello\",\"name\":\"Ada\\nLovelace\\t     Jr\","
                        + "\"sentAt\":\"" + Instant.now().minus(Duration.ofHours(25)) + "\"}");
        assertThat(sent.status()).as("sandbox customer simulator: %s", sent).isBetween(200, 299);
        await("conversation " + conversation).atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() ->
                http.get(StackHttp.INGEST + "/api/v1/conversations/" + conversation, agent).status() == 200);

        // When the agent answers with the template fallback
        Map<String, Object> template = finalOutcome(reply(conversation, "{\"text\":\"Sorry for the wait\",\"fallback\":\"TEMPLATE\"}"));

        // Then dispatch sent the name as WhatsApp accepts it: the template reached the phone, the name on one line
        assertThat(template).containsEntry("status", "SENT").containsEntry("channel", "WHATSAPP_TEMPLATE");
        assertThat(texts(customer, "WHATSAPP_TEMPLATE")).singleElement().asString().startsWith("Dear Ada Lovelace Jr,");
    }

    /** The customer writes on WhatsApp; returns the conversation id once session-service has the message. */
    private String customerWrites(String customer, Instant sentAt) {
        return http.customerWrites(PHONE_NUMBER_ID, customer, sentAt, TIMEOUT);
    }

    /** Posts a reply; returns its outcome URL. */
    private String reply(String conversation, String body) {
        return http.reply(conversation, body, agent);
    }

    private Map<String, Object> finalOutcome(String outcomeUrl) {
        return http.awaitFinalOutcome(outcomeUrl, agent, TIMEOUT);
    }

    private Map<String, Object> outcome(String outcomeUrl, String status) {
        return http.awaitOutcome(outcomeUrl, agent, "status", status, TIMEOUT);
    }

    private List<String> texts(String customer, String channel) {
        return http.get(StackHttp.SANDBOX + "/sandbox/phones/" + customer)
                .read("$[?(@.channel == '" + channel + "')].text");
    }
}
