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
 * Issue 19 on the real stack, against the sandbox's Cloud API: the fourth channel, the agent's own words on WhatsApp
 * after the window through Direct Send, and its refusals. Each refusal costs exactly one provider call (the sandbox
 * records which calls were Direct Send), the same reply continues down the chain once (the SMS with the link), and the
 * next reply for that number skips Direct Send without a call until an operator re-enables it.
 */
@ExtendWith(LocalStackExtension.class)
class DirectSendIT {

    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final String WABA_ID = "200000000000001";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The sandbox's Cloud API business token (a local-development value of its application.yml). */
    private static final String BUSINESS_TOKEN = "local-dev-whatsapp-token";
    private static final String UTILITY_REPLY = "{\"text\":\"%s\",\"category\":\"UTILITY\",\"fallback\":\"DIRECT_SEND\"}";

    private final StackHttp http = new StackHttp();
    private final String agent = http.agentToken("agent-7", "demo");

    @AfterEach
    void enableDirectSendAgain() {
        // The sandbox's number eligible again, no fault, and dispatch's refusal (if any) lifted by an operator
        http.postJson(StackHttp.SANDBOX + "/sandbox/faults", "{\"whatsapp\":{\"mode\":\"OK\"},\"sms\":{\"mode\":\"OK\"}}");
        http.putJson(StackHttp.SANDBOX + "/sandbox/settings", "{\"directSend\":{\"" + PHONE_NUMBER_ID + "\":\"ENABLED\"}}");
        StackHttp.Response lifted = reenable();
        assertThat(lifted.status()).as("operator re-enable: %s", lifted).isEqualTo(200);
    }

    @Test
    void shouldAnswerAConversation25HoursOldOnWhatsAppThroughDirectSend() {
        // Given a customer whose last message is 25 hours old (the window is closed)
        String customer = "15551280001";
        String conversation = customerWrites(customer);
        Instant since = Instant.now();

        // When the agent answers with a text marked utility, asking for Direct Send
        Map<String, Object> outcome = finalOutcome(reply(conversation, "Your order 1042 shipped today"));

        // Then it went out on WhatsApp as Direct Send, once, with its reason and the utility price
        assertThat(outcome).containsEntry("status", "SENT").containsEntry("channel", "WHATSAPP_DIRECT_SEND")
                .containsEntry("reason", "WINDOW_CLOSED_DIRECT_SEND");
        assertThat(outcome.get("estimatedCost")).as("Direct Send cost").isNotNull();
        assertThat(texts(customer, "WHATSAPP_DIRECT_SEND")).containsExactly("Your order 1042 shipped today");
        assertThat(texts(customer, "SMS")).isEmpty();
        assertThat(directSendCalls(since)).isEqualTo(1);

        // And WhatsApp generated its template behind it, which dispatch never offers as an agent's template
        List<String> generated = http.get(StackHttp.SANDBOX + "/v23.0/" + WABA_ID
                        + "/message_templates?source=AUTO_GENERATED", BUSINESS_TOKEN)
                .read("$.data[*].components[0].text");
        assertThat(generated).contains("Your order 1042 shipped today");
    }

    @Test
    void shouldContinueOnceToTheSmsWhenDirectSendIsNotEnabledAndSkipItUntilAnOperatorReEnablesIt() {
        // Given a closed conversation, and WhatsApp answering 100 "Direct Send isn't enabled" for the number
        String customer = "15551280002";
        String conversation = customerWrites(customer);
        setSandboxAccess("NOT_ENABLED");
        Instant since = Instant.now();

        // When the agent answers with Direct Send
        Map<String, Object> refused = finalOutcome(reply(conversation, "Your refund was approved"));

        // Then one Direct Send call was refused, and the same reply went on once as the SMS with the link
        assertThat(refused).containsEntry("status", "SENT").containsEntry("channel", "SMS")
                .containsEntry("reason", "DIRECT_SEND_REFUSED_SMS_FALLBACK");
        assertThat(directSendCalls(since)).isEqualTo(1);
        assertThat(texts(customer, "SMS")).singleElement().asString().startsWith("Your refund was approved");
        assertThat(texts(customer, "WHATSAPP_DIRECT_SEND")).isEmpty();

        // When the agent answers again
        String skippedUrl = reply(conversation, "The money arrives in 3 days");
        Map<String, Object> skipped = finalOutcome(skippedUrl);

        // Then dispatch did not try Direct Send again (no call): the chain says why, the SMS went
        assertThat(skipped).containsEntry("channel", "SMS").containsEntry("reason", "WINDOW_CLOSED_SMS_FALLBACK");
        assertThat(http.get(skippedUrl, agent).<List<String>>read("$.explanation.fallbackChain"))
                .anySatisfy(step -> assertThat(step).startsWith("DIRECT_SEND unavailable"));
        assertThat(directSendCalls(since)).isEqualTo(1);

        // When WhatsApp enables it and an operator re-enables the number
        setSandboxAccess("ENABLED");
        assertThat(reenable().status()).isEqualTo(200);

        // Then the next utility answer goes through Direct Send again
        Map<String, Object> again = finalOutcome(reply(conversation, "Anything else we can do?"));
        assertThat(again).containsEntry("channel", "WHATSAPP_DIRECT_SEND");
        assertThat(directSendCalls(since)).isEqualTo(2);
    }

    @Test
    void shouldContinueOnceWhenWhatsAppBlocksDirectSendAndRaiseTheBlockedGauge() {
        // Given a closed conversation, and WhatsApp blocking the business's Direct Send access (139200) on the next call
        String customer = "15551280003";
        String conversation = customerWrites(customer);
        nextWhatsAppSend("DIRECT_SEND_BLOCKED");
        Instant since = Instant.now();

        // When the agent answers with Direct Send
        String outcomeUrl = reply(conversation, "Your appointment is confirmed");
        Map<String, Object> refused = finalOutcome(outcomeUrl);

        // Then one call, the SMS once, and the number counted as blocked (what the alert watches)
        assertThat(refused).containsEntry("channel", "SMS").containsEntry("reason", "DIRECT_SEND_REFUSED_SMS_FALLBACK");
        assertThat(http.get(outcomeUrl, agent).<List<String>>read("$.explanation.fallbackChain"))
                .contains("DIRECT_SEND refused: 139200 access blocked", "SMS");
        assertThat(directSendCalls(since)).isEqualTo(1);
        assertThat(texts(customer, "SMS")).hasSize(1);
        await("blocked gauge").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() ->
                http.getText(StackHttp.DISPATCH_MANAGEMENT + "/actuator/prometheus").body().lines().anyMatch(line ->
                        line.startsWith("answerline_dispatch_direct_send_refused_numbers{")
                                && line.contains("reason=\"blocked\"") && line.endsWith(" 1.0")));
    }

    @Test
    void shouldFailOverOnceToTheSmsWhenWhatsAppFailsADirectSendMessageLater() {
        // Given a closed conversation, and WhatsApp accepting the next message only to fail it later (131026)
        String customer = "15551280004";
        String conversation = customerWrites(customer);
        nextWhatsAppSend("UNDELIVERABLE");
        Instant since = Instant.now();

        // When the agent answers with Direct Send
        String outcomeUrl = reply(conversation, "Your parcel is at the depot");

        // Then the failed status drives exactly one SMS, the FAILOVER step; Direct Send is not tried again
        Map<String, Object> failover = http.awaitOutcome(outcomeUrl, agent, "step", "FAILOVER", TIMEOUT);
        assertThat(failover).containsEntry("status", "SENT").containsEntry("channel", "SMS")
                .containsEntry("reason", "DELIVERY_FAILED_SMS_FALLBACK");
        assertThat(texts(customer, "SMS")).singleElement().asString().startsWith("Your parcel is at the depot");
        assertThat(directSendCalls(since)).isEqualTo(1);
    }

    /** The sandbox's WhatsApp meets the next send with the fault {@code mode}. */
    private void nextWhatsAppSend(String mode) {
        StackHttp.Response fault = http.postJson(StackHttp.SANDBOX + "/sandbox/faults",
                "{\"whatsapp\":{\"mode\":\"" + mode + "\",\"count\":1}}");
        assertThat(fault.status()).as("%s", fault).isBetween(200, 299);
    }

    private StackHttp.Response reenable() {
        String operator = operatorToken();
        return http.postJson(StackHttp.DISPATCH_MANAGEMENT + "/actuator/directsend/" + PHONE_NUMBER_ID, "{}", operator);
    }

    private String operatorToken() {
        return http.postJson(StackHttp.SANDBOX + "/sandbox/tokens",
                "{\"agentId\":\"sre-1\",\"tenantId\":\"demo\",\"roles\":[\"operator\"]}").read("$.token");
    }

    private void setSandboxAccess(String access) {
        StackHttp.Response set = http.putJson(StackHttp.SANDBOX + "/sandbox/settings",
                "{\"directSend\":{\"" + PHONE_NUMBER_ID + "\":\"" + access + "\"}}");
        assertThat(set.status()).as("%s", set).isEqualTo(200);
    }

    /** How many of the number's Cloud API sends since {@code since} were Direct Send (the sandbox's record). */
    private int directSendCalls(Instant since) {
        return http.get(StackHttp.SANDBOX + "/sandbox/whatsapp/sends?phoneNumberId=" + PHONE_NUMBER_ID + "&since=" + since)
                .<Integer>read("$.directSendCount");
    }

    private String customerWrites(String customer) {
        return http.customerWrites(PHONE_NUMBER_ID, customer, Instant.now().minus(Duration.ofHours(25)), TIMEOUT);
    }

    private String reply(String conversation, String text) {
        return http.reply(conversation, UTILITY_REPLY.formatted(text), agent);
    }

    private Map<String, Object> finalOutcome(String outcomeUrl) {
        return http.awaitFinalOutcome(outcomeUrl, agent, TIMEOUT);
    }

    private List<String> texts(String customer, String channel) {
        return http.get(StackHttp.SANDBOX + "/sandbox/phones/" + customer)
                .read("$[?(@.channel == '" + channel + "')].text");
    }
}
