package com.answerline.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Direct Send over real HTTP: a utility text outside the window when the number is eligible, the two refusals, the
 * fault that blocks access, the auto-generated templates and the count of Direct Send calls. Same application context
 * as {@link SandboxApplicationIT} (no new start-up).
 */
class DirectSendIT extends SandboxOverHttp {

    private static final String OTHER = "100000000000002";
    private static final String CUSTOMER = "15551234567";

    @Test
    void shouldSendAUtilityTextOutsideTheWindowAndShowItAsDirectSend() {
        // Given the customer's last message is 25 hours old (a plain text would get 131047)
        customerWrites(CUSTOMER, """
                {"phoneNumberId":"%s","text":"hi","sentAt":"%s"}""".formatted(DEMO, Instant.now().minus(Duration.ofHours(25))));
        INGEST.clear();

        // When the business answers through Direct Send, naming the send in biz_opaque_callback_data
        JsonNode answer = send(directSend(CUSTOMER, "Your parcel leaves today", ",\"ttl\":3600"
                + ",\"biz_opaque_callback_data\":\"al1|100000000000001:15551234567|cmd-9|REPLY\""));

        // Then it is accepted like any text, and the phone shows it as Direct Send, utility
        String wamid = answer.path("messages").get(0).path("id").stringValue();
        assertThat(wamid).startsWith("wamid.");
        assertThat(answer.path("contacts").get(0).path("wa_id").stringValue()).isEqualTo(CUSTOMER);
        JsonNode received = phone(CUSTOMER).get(0);
        assertThat(received.path("channel").stringValue()).isEqualTo("WHATSAPP_DIRECT_SEND");
        assertThat(received.path("category").stringValue()).isEqualTo("UTILITY");
        assertThat(received.path("text").stringValue()).isEqualTo("Your parcel leaves today");
        assertThat(received.path("providerMessageId").stringValue()).isEqualTo(wamid);

        // And sent, delivered, read follow, each echoing the callback data, billed at the utility rate
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/whatsapp", wamid).size() == 3);
        List<JsonNode> statuses = requestsTo("/webhooks/whatsapp", wamid).stream()
                .map(r -> json.readTree(r.body()).path("entry").get(0).path("changes").get(0).path("value")
                        .path("statuses").get(0))
                .toList();
        assertThat(statuses).extracting(s -> s.path("status").stringValue()).containsExactly("sent", "delivered", "read");
        assertThat(statuses).extracting(s -> s.path("biz_opaque_callback_data").stringValue())
                .containsOnly("al1|100000000000001:15551234567|cmd-9|REPLY");
        JsonNode pricing = statuses.get(0).path("pricing");
        assertThat(pricing.path("category").stringValue()).isEqualTo("utility");
        assertThat(pricing.path("billable").booleanValue()).isTrue();
        assertThat(pricing.path("type").stringValue()).isEqualTo("regular");
    }

    @Test
    void shouldRefuseDirectSendWith100WhenTheNumberIsNotEnabledAndSendNothing() {
        // Given the demo number set not enabled at run time
        putSettings("{\"directSend\":{\"%s\":\"NOT_ENABLED\"}}".formatted(DEMO))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.directSend['%s']".formatted(DEMO)).isEqualTo("NOT_ENABLED")
                .jsonPath("$.directSend['%s']".formatted(OTHER)).isEqualTo("ENABLED")
                .jsonPath("$.statusWebhooks").isEqualTo(true);

        // When / Then a Direct Send is refused synchronously with Meta's 100, and nothing reaches the phone
        JsonNode error = sendExpectingError(directSend(CUSTOMER, "Your parcel leaves today", ""), 400, 100);
        assertThat(error.path("message").stringValue()).contains("Direct Send isn't enabled for this account");
        assertThat(error.path("type").stringValue()).isEqualTo("OAuthException");
        assertThat(phone(CUSTOMER)).isEmpty();
        // And without a category the same text is the old 131047 (no window)
        sendExpectingError(text(CUSTOMER, "Your parcel leaves today"), 400, 131047);
    }

    @Test
    void shouldRefuseDirectSendWith139200WhenTheNumbersAccessIsBlocked() {
        // Given the demo number's access blocked
        putSettings("{\"directSend\":{\"%s\":\"BLOCKED\"}}".formatted(DEMO)).expectStatus().isOk();

        // When / Then
        JsonNode error = sendExpectingError(directSend(CUSTOMER, "Your parcel leaves today", ""), 400, 139200);
        assertThat(error.path("message").stringValue()).contains("Direct Send utility or authentication access is blocked");
        assertThat(phone(CUSTOMER)).isEmpty();

        // And once enabled again it goes
        putSettings("{\"directSend\":{\"%s\":\"ENABLED\"}}".formatted(DEMO)).expectStatus().isOk();
        send(directSend(CUSTOMER, "Your parcel leaves today", ""));
        assertThat(phone(CUSTOMER)).extracting(m -> m.path("channel").stringValue()).containsExactly("WHATSAPP_DIRECT_SEND");
    }

    @Test
    void shouldBlockTheNumbersAccessOnTheFaultUntilTheSettingsEnableItAgainAndCountEveryDirectSendCall() {
        // Given the fault switched on for the next WhatsApp call
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"DIRECT_SEND_BLOCKED\",\"count\":1}}").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.whatsapp.mode").isEqualTo("DIRECT_SEND_BLOCKED");

        // When two Direct Sends and one template are sent
        sendExpectingError(directSend(CUSTOMER, "first", ""), 400, 139200);
        sendExpectingError(directSend(CUSTOMER, "second", ""), 400, 139200);
        send(template(CUSTOMER));

        // Then the fault was used up by the first, but the number stays blocked (the settings show it), templates go
        client.get().uri("/sandbox/faults").exchange().expectBody().jsonPath("$.whatsapp.mode").isEqualTo("OK");
        client.get().uri("/sandbox/settings").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.directSend['%s']".formatted(DEMO)).isEqualTo("BLOCKED");
        assertThat(phone(CUSTOMER)).extracting(m -> m.path("channel").stringValue()).containsExactly("WHATSAPP_TEMPLATE");

        // And the recorded sends count three calls, two of them Direct Send
        client.get().uri("/sandbox/whatsapp/sends?phoneNumberId={id}", DEMO).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.count").isEqualTo(3)
                .jsonPath("$.directSendCount").isEqualTo(2)
                .jsonPath("$.directSendArrivals.length()").isEqualTo(2);

        // And a reset gives back the configured status
        client.delete().uri("/sandbox/phones").exchange().expectStatus().isNoContent();
        client.get().uri("/sandbox/settings").exchange().expectBody()
                .jsonPath("$.directSend['%s']".formatted(DEMO)).isEqualTo("ENABLED");
    }

    @Test
    void shouldValidateTheTimeToLiveAndTheCategory() {
        customerWrites(CUSTOMER, "{\"phoneNumberId\":\"%s\",\"text\":\"hi\"}".formatted(DEMO));

        // A TTL out of 30..43200 s, or not a whole number of seconds, or on a message without a category: 100
        for (String ttl : List.of("29", "43201", "\"soon\"", "60.5")) {
            sendExpectingError(directSend(CUSTOMER, "x", ",\"ttl\":" + ttl), 400, 100);
        }
        JsonNode error = sendExpectingError(text(CUSTOMER, "x").replace("}}", "},\"ttl\":60}"), 400, 100);
        assertThat(error.path("error_data").path("details").stringValue()).contains("ttl");
        // A category other than utility, or on a template: 100
        sendExpectingError(directSend(CUSTOMER, "x", "").replace("\"utility\"", "\"marketing\""), 400, 100);
        sendExpectingError(template(CUSTOMER).replace("{\"messaging_product\"",
                "{\"category\":\"utility\",\"messaging_product\""), 400, 100);
        assertThat(phone(CUSTOMER)).isEmpty();

        // And the limits themselves are accepted
        send(directSend(CUSTOMER, "thirty", ",\"ttl\":30"));
        send(directSend(CUSTOMER, "twelve hours", ",\"ttl\":\"43200\""));
        assertThat(phone(CUSTOMER)).hasSize(2);
    }

    @Test
    void shouldListOneAutoGeneratedUtilityTemplatePerDistinctDirectSendText() {
        // Given three Direct Sends with two distinct texts
        send(directSend(CUSTOMER, "Your parcel leaves today", ""));
        send(directSend("15557654321", "Your parcel leaves today", ""));
        send(directSend(CUSTOMER, "Your refund is on its way", ""));

        // When only the auto-generated templates are listed
        JsonNode generated = templates("?source=AUTO_GENERATED");

        // Then there are two, approved, utility, with the texts as their bodies
        assertThat(generated.path("data").valueStream().toList()).hasSize(2).allSatisfy(t -> {
            assertThat(t.path("source").stringValue()).isEqualTo("AUTO_GENERATED");
            assertThat(t.path("status").stringValue()).isEqualTo("APPROVED");
            assertThat(t.path("category").stringValue()).isEqualTo("UTILITY");
            assertThat(t.path("name").stringValue()).startsWith("direct_send_");
        });
        assertThat(generated.path("data").valueStream().map(t -> t.path("components").get(0).path("text").stringValue()))
                .containsExactly("Your parcel leaves today", "Your refund is on its way");

        // And the full list has the configured templates (without a source) and these
        JsonNode all = templates("");
        assertThat(all.path("data").valueStream().filter(t -> t.has("source")).count()).isEqualTo(2);
        assertThat(all.path("data").valueStream().map(t -> t.path("name").stringValue()))
                .contains("customer_care_reopen", "hello_world");
        // And another number's account has none, an unknown source filter is refused
        assertThat(client.get().uri("/v23.0/200000000000002/message_templates?source=AUTO_GENERATED")
                .header(HttpHeaders.AUTHORIZATION, TOKEN).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("data").isEmpty()).isTrue();
        client.get().uri("/v23.0/200000000000001/message_templates?source=USER")
                .header(HttpHeaders.AUTHORIZATION, TOKEN).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.code").isEqualTo(100);
    }

    @Test
    void shouldNameTheWrongFieldOfASettingsChange() {
        putSettings("{\"directSend\":{\"%s\":\"MAYBE\"}}".formatted(DEMO)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").value(e -> assertThat((String) e).contains("directSend." + DEMO));
        putSettings("{\"directSend\":{\"999\":\"BLOCKED\"},\"statusWebhooks\":false}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").value(e -> assertThat((String) e).contains("999"));
        putSettings("{}").expectStatus().isBadRequest();
        // Nothing of a refused change was applied
        client.get().uri("/sandbox/settings").exchange().expectBody()
                .jsonPath("$.statusWebhooks").isEqualTo(true)
                .jsonPath("$.directSend['%s']".formatted(DEMO)).isEqualTo("ENABLED");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec putSettings(String body) {
        return client.put().uri("/sandbox/settings").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private JsonNode templates(String query) {
        return client.get().uri("/v23.0/200000000000001/message_templates" + query)
                .header(HttpHeaders.AUTHORIZATION, TOKEN).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** A Direct Send text; {@code more}: further top-level fields, each starting with a comma. */
    private static String directSend(String to, String body, String more) {
        return text(to, body).replace("\"type\":\"text\"", "\"type\":\"text\",\"category\":\"utility\"" + more);
    }

    private static String template(String to) {
        return """
                {"messaging_product":"whatsapp","to":"%s","type":"template","template":{"name":"hello_world",
                 "language":{"code":"en_US"},"components":[]}}""".formatted(to);
    }
}
