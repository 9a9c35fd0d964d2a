package com.answerline.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.answerline.sandbox.CapturingServer.Captured;
import com.answerline.sandbox.sms.TwilioSignature;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/** The sandbox over real HTTP on 127.0.0.1, delivering to a real capturing server standing in for ingest. */
class SandboxApplicationIT extends SandboxOverHttp {

    private static final String ACCOUNT = "AC00000000000000000000000000000000";
    private static final String TWILIO_TOKEN = "local-dev-twilio-auth-token";

    @LocalServerPort
    private int port;

    // --- customer simulator -> ingest ---

    @Test
    void shouldPostASignedWebhookInThe2026ShapeWhenACustomerWrites() {
        // Given a customer message sent two minutes ago
        Instant sentAt = Instant.parse("2026-11-25T10:00:00Z");

        // When
        JsonNode answer = customerWrites("+15551234567", """
                {"phoneNumberId":"%s","text":"Where is my order?","sentAt":"%s","name":"Ada"}""".formatted(DEMO, sentAt));

        // Then the answer names the message, the BSUID and ingest's status
        String wamid = answer.path("wamid").stringValue();
        String bsuid = answer.path("bsuid").stringValue();
        assertThat(wamid).startsWith("wamid.");
        assertThat(bsuid).matches("US\\.[0-9]+");
        assertThat(answer.path("ingestStatus").intValue()).isEqualTo(200);

        // And ingest received one signed webhook in Meta's shape
        Captured webhook = onlyRequestTo("/webhooks/whatsapp", wamid);
        assertThat(webhook.header("X-Hub-Signature-256")).isEqualTo(hubSignature(webhook.body()));
        assertThat(webhook.header("Content-Type")).startsWith("application/json");
        JsonNode root = json.readTree(webhook.body());
        assertThat(root.path("object").stringValue()).isEqualTo("whatsapp_business_account");
        JsonNode entry = root.path("entry").get(0);
        assertThat(entry.path("id").stringValue()).isEqualTo("200000000000001");
        JsonNode change = entry.path("changes").get(0);
        assertThat(change.path("field").stringValue()).isEqualTo("messages");
        JsonNode value = change.path("value");
        assertThat(value.path("metadata").path("phone_number_id").stringValue()).isEqualTo(DEMO);
        assertThat(value.path("metadata").path("display_phone_number").stringValue()).isEqualTo("15550000001");
        JsonNode contact = value.path("contacts").get(0);
        assertThat(contact.path("profile").path("name").stringValue()).isEqualTo("Ada");
        assertThat(contact.path("wa_id").stringValue()).isEqualTo("15551234567");
        assertThat(contact.path("user_id").stringValue()).isEqualTo(bsuid);
        JsonNode message = value.path("messages").get(0);
        assertThat(message.path("from").stringValue()).isEqualTo("15551234567");
        assertThat(message.path("id").stringValue()).isEqualTo(wamid);
        assertThat(message.path("timestamp").stringValue()).isEqualTo(Long.toString(sentAt.getEpochSecond()));
        assertThat(message.path("type").stringValue()).isEqualTo("text");
        assertThat(message.path("text").path("body").stringValue()).isEqualTo("Where is my order?");
    }

    @Test
    void shouldOmitThePhoneNumberForAUsernameOnlyCustomer() {
        // When a customer with a username writes without sharing a number
        JsonNode answer = customerWrites("15551234567", """
                {"phoneNumberId":"%s","text":"hi","usernameOnly":true,"username":"@ada"}""".formatted(DEMO));

        // Then the webhook identifies them by BSUID only
        JsonNode value = json.readTree(onlyRequestTo("/webhooks/whatsapp", answer.path("wamid").stringValue()).body())
                .path("entry").get(0).path("changes").get(0).path("value");
        JsonNode contact = value.path("contacts").get(0);
        assertThat(contact.has("wa_id")).isFalse();
        assertThat(contact.path("user_id").stringValue()).isEqualTo(answer.path("bsuid").stringValue());
        assertThat(contact.path("profile").path("username").stringValue()).isEqualTo("@ada");
        JsonNode message = value.path("messages").get(0);
        assertThat(message.has("from")).isFalse();
        assertThat(message.path("from_user_id").stringValue()).isEqualTo(answer.path("bsuid").stringValue());
    }

    @Test
    void shouldReportIngestUnreachableWithoutFailing() {
        // Given ingest answering 503
        INGEST.answerWith(503);

        // When / Then the simulator reports ingest's status
        assertThat(customerWrites("15551234567", """
                {"phoneNumberId":"%s","text":"hi"}""".formatted(DEMO)).path("ingestStatus").intValue()).isEqualTo(503);
    }

    @Test
    void shouldPostASignedInboundSmsToIngest() {
        // When a customer texts the demo number
        JsonNode answer = client.post().uri("/sandbox/customers/+15551234567/sms")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"to\":\"+15550000001\",\"text\":\"Hallo, ik wacht nog 😀\"}")
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        // Then ingest received a Twilio-shaped form signed over its URL and the sorted parameters
        Captured sms = onlyRequestTo("/webhooks/sms", answer.path("messageSid").stringValue());
        Map<String, List<String>> form = sms.form();
        assertThat(sms.header(TwilioSignature.HEADER))
                .isEqualTo(TwilioSignature.sign(INGEST.url("/webhooks/sms"), form, TWILIO_TOKEN));
        assertThat(form).containsEntry("From", List.of("+15551234567"))
                .containsEntry("To", List.of("+15550000001"))
                .containsEntry("Body", List.of("Hallo, ik wacht nog 😀"))
                .containsEntry("AccountSid", List.of(ACCOUNT))
                .containsEntry("MessageSid", List.of(answer.path("messageSid").stringValue()));
        assertThat(answer.path("ingestStatus").intValue()).isEqualTo(200);
    }

    // --- WhatsApp Cloud API ---

    @Test
    void shouldRefuseFreeFormWith131047WhenTheCustomerWrote25HoursAgo() {
        // Given the customer's last message is 25 hours old
        customerWrites("15551234567", """
                {"phoneNumberId":"%s","text":"hi","sentAt":"%s"}""".formatted(DEMO, Instant.now().minus(Duration.ofHours(25))));

        // When the business answers free-form
        client.post().uri("/v23.0/{id}/messages", DEMO)
                .header(HttpHeaders.AUTHORIZATION, TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(text("15551234567", "Sorry for the wait"))
                .exchange()
                // Then WhatsApp refuses it in its error shape, and the phone gets nothing
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error.code").isEqualTo(131047)
                .jsonPath("$.error.type").isEqualTo("OAuthException")
                .jsonPath("$.error.error_data.details").exists()
                .jsonPath("$.error.fbtrace_id").exists();
        assertThat(phone("15551234567")).isEmpty();
    }

    @Test
    void shouldListWhenEachCloudApiSendOfANumberArrivedWhateverTheAnswer() {
        // Given one accepted send and one refused (131047) for the demo number
        customerWrites("+15551234567", """
                {"phoneNumberId":"%s","text":"hi"}""".formatted(DEMO));
        send(text("+15551234567", "We are on it"));
        sendExpectingError(text("15559999999", "Hello?"), 400, 131047);

        // When the number's sends are read
        JsonNode sends = client.get().uri("/sandbox/whatsapp/sends?phoneNumberId={id}", DEMO).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        // Then both are listed with their arrival time, and the busiest second held both
        assertThat(sends.path("phoneNumberId").stringValue()).isEqualTo(DEMO);
        assertThat(sends.path("count").intValue()).isEqualTo(2);
        assertThat(sends.path("arrivals").valueStream().map(a -> Instant.parse(a.stringValue())))
                .hasSize(2).allSatisfy(at -> assertThat(at).isBefore(Instant.now().plusSeconds(1)));
        assertThat(sends.path("maxInAnySecond").intValue()).isEqualTo(2);
        // And a missing or unknown number, or a bad "since", is named in the error
        client.get().uri("/sandbox/whatsapp/sends").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").value(e -> assertThat((String) e).contains("phoneNumberId"));
        client.get().uri("/sandbox/whatsapp/sends?phoneNumberId=999").exchange().expectStatus().isNotFound();
        client.get().uri("/sandbox/whatsapp/sends?phoneNumberId={id}&since=yesterday", DEMO).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").value(e -> assertThat((String) e).contains("since"));
    }

    @Test
    void shouldRefuseFreeFormToACustomerWhoNeverWrote() {
        sendExpectingError(text("15559999999", "Hello?"), 400, 131047);
    }

    @Test
    void shouldAcceptFreeFormWhenTheCustomerWrote1HourAgoAndReportStatuses() {
        // Given the customer wrote an hour ago
        JsonNode customer = customerWrites("+15551234567", """
                {"phoneNumberId":"%s","text":"hi","sentAt":"%s"}""".formatted(DEMO, Instant.now().minus(Duration.ofHours(1))));
        INGEST.clear();

        // When the business answers free-form
        JsonNode answer = send(text("+15551234567", "We are on it"));

        // Then it is accepted with a wamid, like the Cloud API answers
        assertThat(answer.path("messaging_product").stringValue()).isEqualTo("whatsapp");
        assertThat(answer.path("contacts").get(0).path("input").stringValue()).isEqualTo("+15551234567");
        assertThat(answer.path("contacts").get(0).path("wa_id").stringValue()).isEqualTo("15551234567");
        String wamid = answer.path("messages").get(0).path("id").stringValue();
        assertThat(wamid).startsWith("wamid.");

        // And the phone shows it
        JsonNode received = phone("+15551234567").get(0);
        assertThat(received.path("channel").stringValue()).isEqualTo("WHATSAPP");
        assertThat(received.path("from").stringValue()).isEqualTo("+15550000001");
        assertThat(received.path("text").stringValue()).isEqualTo("We are on it");
        assertThat(received.path("providerMessageId").stringValue()).isEqualTo(wamid);
        assertThat(Instant.parse(received.path("receivedAt").stringValue())).isBefore(Instant.now().plusSeconds(1));

        // And ingest gets sent, delivered and read, each signed, in the 2026 status shape
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/whatsapp", wamid).size() == 3);
        List<JsonNode> statuses = requestsTo("/webhooks/whatsapp", wamid).stream()
                .peek(r -> assertThat(r.header("X-Hub-Signature-256")).isEqualTo(hubSignature(r.body())))
                .map(r -> json.readTree(r.body()).path("entry").get(0).path("changes").get(0).path("value")
                        .path("statuses").get(0))
                .toList();
        assertThat(statuses).extracting(s -> s.path("status").stringValue()).containsExactly("sent", "delivered", "read");
        JsonNode sent = statuses.get(0);
        assertThat(sent.path("id").stringValue()).isEqualTo(wamid);
        assertThat(sent.path("recipient_id").stringValue()).isEqualTo("15551234567");
        assertThat(sent.path("recipient_user_id").stringValue()).isEqualTo(customer.path("bsuid").stringValue());
        assertThat(sent.path("timestamp").stringValue()).matches("[0-9]+");
        assertThat(sent.path("pricing").path("type").stringValue()).isEqualTo("free_customer_service");
        assertThat(sent.path("pricing").path("billable").booleanValue()).isFalse();
    }

    @Test
    void shouldSendAnApprovedTemplateOutsideTheWindowAndShowItRendered() {
        // Given a customer who never wrote (no window)
        // When the business sends the reopen template
        JsonNode answer = send(template("15559999999", "customer_care_reopen", "Ada", "the Answerline team"));

        // Then the phone shows the rendered body
        String wamid = answer.path("messages").get(0).path("id").stringValue();
        assertThat(answer.path("messages").get(0).path("message_status").stringValue()).isEqualTo("accepted");
        JsonNode received = phone("15559999999").get(0);
        assertThat(received.path("channel").stringValue()).isEqualTo("WHATSAPP_TEMPLATE");
        assertThat(received.path("providerMessageId").stringValue()).isEqualTo(wamid);
        assertThat(received.path("text").stringValue())
                .isEqualTo("Dear Ada, you have tried to reach us outside our business hours and we were unable to"
                        + " answer your questions within 24 hours. If your question is still relevant, please reply to"
                        + " this message with a thumbs up and we will answer as soon as possible! Best regards, the"
                        + " Answerline team");

        // And outside the window a utility template is billed
        await().atMost(Duration.ofSeconds(10)).until(() -> !requestsTo("/webhooks/whatsapp", wamid).isEmpty());
        JsonNode pricing = json.readTree(requestsTo("/webhooks/whatsapp", wamid).get(0).body()).path("entry").get(0)
                .path("changes").get(0).path("value").path("statuses").get(0).path("pricing");
        assertThat(pricing.path("category").stringValue()).isEqualTo("utility");
        assertThat(pricing.path("billable").booleanValue()).isTrue();
    }

    @Test
    void shouldRefuseATemplateParameterWithANewLineATabOrFiveSpacesAsWhatsAppDoes() {
        // JSON escapes: a new-line, a tab, five spaces in a row; then an empty parameter (131008)
        for (String refused : List.of("Ada\\nLovelace", "Ada\\tLovelace", "Ada     Lovelace")) {
            client.post().uri("/v23.0/{id}/messages", DEMO)
                    .header(HttpHeaders.AUTHORIZATION, TOKEN).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(template("15559999999", "customer_care_reopen", refused, "the Answerline team"))
                    .exchange()
                    .expectStatus().isEqualTo(400)
                    .expectBody()
                    .jsonPath("$.error.code").isEqualTo(132018)
                    .jsonPath("$.error.message").isEqualTo("(#132018) There was an issue with the parameters in your template.")
                    .jsonPath("$.error.error_data.details")
                    .isEqualTo("Param text cannot have new-line/tab characters or more than 4 consecutive spaces");
        }
        sendExpectingError(template("15559999999", "customer_care_reopen", "", "the Answerline team"), 400, 131008);
        assertThat(phone("15559999999")).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownTemplateWith132001AndAWrongParameterCountWith132000() {
        sendExpectingError(template("15559999999", "no_such_template", "Ada"), 404, 132001);
        sendExpectingError(template("15559999999", "customer_care_reopen", "Ada"), 400, 132000);
        assertThat(phone("15559999999")).isEmpty();
    }

    @Test
    void shouldSendToABsuidAndShowItOnTheSameHandset() {
        // Given a customer who wrote an hour ago, known to ingest by BSUID only
        String bsuid = customerWrites("15551234567", """
                {"phoneNumberId":"%s","text":"hi","usernameOnly":true}""".formatted(DEMO)).path("bsuid").stringValue();

        // When the business answers the BSUID
        JsonNode answer = send(text(bsuid, "Hi there"));

        // Then the answer carries the user id, not the number, and the handset shows the message either way
        assertThat(answer.path("contacts").get(0).path("user_id").stringValue()).isEqualTo(bsuid);
        assertThat(answer.path("contacts").get(0).has("wa_id")).isFalse();
        assertThat(phone(bsuid)).hasSize(1);
        assertThat(phone("+15551234567")).hasSize(1);
    }

    @Test
    void shouldAnswer401InMetasShapeForAWrongToken() {
        client.post().uri("/v23.0/{id}/messages", DEMO)
                .header(HttpHeaders.AUTHORIZATION, "Bearer not-the-token")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(text("15551234567", "x"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error.code").isEqualTo(190).jsonPath("$.error.type").isEqualTo("OAuthException");
    }

    @Test
    void shouldListTheTemplatesOfABusinessAccountInMetasShape() {
        client.get().uri("/v23.0/200000000000001/message_templates")
                .header(HttpHeaders.AUTHORIZATION, TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.data[?(@.name == 'customer_care_reopen')].category").isEqualTo(List.of("UTILITY"))
                .jsonPath("$.data[?(@.name == 'customer_care_reopen')].status").isEqualTo(List.of("APPROVED"))
                .jsonPath("$.data[?(@.name == 'customer_care_reopen')].language").isEqualTo(List.of("en_US"))
                .jsonPath("$.data[0].components[0].type").isEqualTo("BODY")
                .jsonPath("$.paging.cursors").exists();
    }

    @Test
    void shouldAnswerWithTheSwitchedFaultForTheNextCallsOnly() {
        // Given a customer in the window and one HTTP 500 then one 429 switched on
        customerWrites("15551234567", "{\"phoneNumberId\":\"%s\",\"text\":\"hi\"}".formatted(DEMO));
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"HTTP_500\",\"count\":1}}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.whatsapp.mode").isEqualTo("HTTP_500");

        // When / Then
        sendExpectingError(text("15551234567", "one"), 500, 131000);
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"HTTP_429\",\"count\":1}}").exchange().expectStatus().isOk();
        sendExpectingError(text("15551234567", "two"), 429, 130429);
        send(text("15551234567", "three"));
        assertThat(phone("15551234567")).extracting(m -> m.path("text").stringValue()).containsExactly("three");
    }

    @Test
    void shouldSendWithoutDeliveryReportsWhenSwitchedOffButStillReportAFaultsFailure() {
        // Given a customer in the window and delivery reports switched off
        customerWrites("15551234567", "{\"phoneNumberId\":\"%s\",\"text\":\"hi\"}".formatted(DEMO));
        client.put().uri("/sandbox/settings").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"statusWebhooks\":false}").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.statusWebhooks").isEqualTo(false);

        // When the business answers, then answers again into an undeliverable fault
        String quiet = send(text("15551234567", "quiet")).path("messages").get(0).path("id").stringValue();
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"UNDELIVERABLE\",\"count\":1}}").exchange().expectStatus().isOk();
        String lost = send(text("15551234567", "lost")).path("messages").get(0).path("id").stringValue();

        // Then the phone got the first, ingest hears of the failure and, by then, nothing of the first's delivery
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/whatsapp", lost).size() == 1);
        assertThat(requestsTo("/webhooks/whatsapp", quiet)).isEmpty();
        assertThat(phone("15551234567")).extracting(m -> m.path("text").stringValue()).containsExactly("quiet");

        // And a reset switches the reports back on
        client.delete().uri("/sandbox/phones").exchange().expectStatus().isNoContent();
        client.get().uri("/sandbox/settings").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.statusWebhooks").isEqualTo(true);
    }

    @Test
    void shouldReportAFailedStatusWith131026ForAnUndeliverableMessage() {
        // Given a customer in the window and the next WhatsApp send switched to undeliverable
        customerWrites("15551234567", "{\"phoneNumberId\":\"%s\",\"text\":\"hi\"}".formatted(DEMO));
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"UNDELIVERABLE\",\"count\":1}}").exchange().expectStatus().isOk();

        // When the business answers: WhatsApp accepts it
        String wamid = send(text("15551234567", "lost")).path("messages").get(0).path("id").stringValue();

        // Then ingest hears it failed, with Meta's error, and the phone got nothing
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/whatsapp", wamid).size() == 1);
        JsonNode status = json.readTree(requestsTo("/webhooks/whatsapp", wamid).get(0).body()).path("entry").get(0)
                .path("changes").get(0).path("value").path("statuses").get(0);
        assertThat(status.path("status").stringValue()).isEqualTo("failed");
        assertThat(status.path("errors").get(0).path("code").intValue()).isEqualTo(131026);
        assertThat(phone("15551234567")).isEmpty();
    }

    @Test
    void shouldAcceptFreeFormThenReportItFailedWith131047WhenTheWindowClosedLate() {
        // Given a customer in the window and the next WhatsApp send switched to WINDOW_CLOSED_LATE
        customerWrites("15551234567", "{\"phoneNumberId\":\"%s\",\"text\":\"hi\"}".formatted(DEMO));
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"WINDOW_CLOSED_LATE\",\"count\":1}}").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.whatsapp.mode").isEqualTo("WINDOW_CLOSED_LATE");

        // When the business answers free-form: WhatsApp accepts it with a wamid
        String wamid = send(text("15551234567", "too late")).path("messages").get(0).path("id").stringValue();
        assertThat(wamid).startsWith("wamid.");

        // Then ingest hears only that it failed, with 131047, signed like every webhook, and the phone got nothing
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/whatsapp", wamid).size() == 1);
        Captured request = requestsTo("/webhooks/whatsapp", wamid).get(0);
        assertThat(request.header("X-Hub-Signature-256")).isEqualTo(hubSignature(request.body()));
        JsonNode status = json.readTree(request.body()).path("entry").get(0)
                .path("changes").get(0).path("value").path("statuses").get(0);
        assertThat(status.path("id").stringValue()).isEqualTo(wamid);
        assertThat(status.path("status").stringValue()).isEqualTo("failed");
        assertThat(status.path("recipient_id").stringValue()).isEqualTo("15551234567");
        assertThat(status.path("errors").get(0).path("code").intValue()).isEqualTo(131047);
        assertThat(status.path("errors").get(0).path("error_data").path("details").stringValue()).contains("24 hours");
        assertThat(phone("15551234567")).isEmpty();

        // And the switch was used up: the next free-form message is delivered
        send(text("15551234567", "on time"));
        assertThat(phone("15551234567")).extracting(m -> m.path("text").stringValue()).containsExactly("on time");
    }

    @Test
    void shouldDeliverTemplatesNormallyWhileTheWindowClosesLate() {
        // Given every WhatsApp send switched to WINDOW_CLOSED_LATE (no count)
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"WINDOW_CLOSED_LATE\"}}").exchange().expectStatus().isOk();

        // When the failover sends the reopen template
        String wamid = send(template("15559999999", "customer_care_reopen", "Ada", "the Answerline team"))
                .path("messages").get(0).path("id").stringValue();

        // Then the template is not bound to the window: the phone shows it and ingest gets sent, delivered, read
        assertThat(phone("15559999999")).extracting(m -> m.path("channel").stringValue()).containsExactly("WHATSAPP_TEMPLATE");
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/whatsapp", wamid).size() == 3);
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"OK\"}}").exchange().expectStatus().isOk();
    }

    @Test
    void shouldRefuseWindowClosedLateAsAnSmsFault() {
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"sms\":{\"mode\":\"WINDOW_CLOSED_LATE\"}}").exchange().expectStatus().isBadRequest();
        client.get().uri("/sandbox/faults").exchange().expectBody().jsonPath("$.sms.mode").isEqualTo("OK");
    }

    @Test
    void shouldHoldTheRequestAndSendNothingOnATimeoutFault() {
        // Given the next SMS send switched to TIMEOUT (held 1 s in this test)
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"sms\":{\"mode\":\"TIMEOUT\",\"count\":1}}").exchange().expectStatus().isOk();
        long start = System.nanoTime();

        // When / Then
        client.post().uri("/2010-04-01/Accounts/{sid}/Messages.json", ACCOUNT)
                .headers(h -> h.setBasicAuth(ACCOUNT, TWILIO_TOKEN))
                .body(BodyInserters.fromFormData("To", "+15551234567").with("From", "+15550000001").with("Body", "x"))
                .exchange()
                .expectStatus().isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(phone("15551234567")).isEmpty();
    }

    @Test
    void shouldSendButAnswerLateOnALateAnswerFaultAndEchoTheCallbackDataInEveryStatus() {
        // Given a customer in the window and the next WhatsApp send switched to LATE_ANSWER (held 1 s in this test)
        customerWrites("15551234567", "{\"phoneNumberId\":\"%s\",\"text\":\"hi\"}".formatted(DEMO));
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"whatsapp\":{\"mode\":\"LATE_ANSWER\",\"count\":1}}").exchange().expectStatus().isOk();
        INGEST.clear();
        long start = System.nanoTime();

        // When the business answers, naming the send in biz_opaque_callback_data
        String wamid = send(text("15551234567", "slow but sent").replace("}}",
                "},\"biz_opaque_callback_data\":\"al1|100000000000001:15551234567|cmd-1|REPLY\"}"))
                .path("messages").get(0).path("id").stringValue();

        // Then the answer came only after the hold, but the message was on the phone already
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(phone("15551234567")).singleElement()
                .satisfies(m -> assertThat(m.path("providerMessageId").stringValue()).isEqualTo(wamid));
        // And each of its statuses echoes the callback data, as Meta does: the way to match a send whose answer was lost
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/whatsapp", wamid).size() == 3);
        assertThat(requestsTo("/webhooks/whatsapp", wamid)).extracting(r -> json.readTree(r.body()).path("entry").get(0)
                        .path("changes").get(0).path("value").path("statuses").get(0).path("biz_opaque_callback_data").stringValue())
                .containsOnly("al1|100000000000001:15551234567|cmd-1|REPLY");
    }

    @Test
    void shouldRefuseCallbackDataLongerThanMetasLimit() {
        customerWrites("15551234567", "{\"phoneNumberId\":\"%s\",\"text\":\"hi\"}".formatted(DEMO));

        sendExpectingError(text("15551234567", "too much").replace("}}",
                "},\"biz_opaque_callback_data\":\"" + "x".repeat(513) + "\"}"), 400, 100);
        assertThat(phone("15551234567")).isEmpty();
    }

    @Test
    void shouldCallBackTheStatusCallbackUrlWithItsQuerySignedWholeAlsoWhenTheAnswerIsLate() {
        // Given the next SMS answers late (LATE_ANSWER) and a StatusCallback naming the send in its query
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"sms\":{\"mode\":\"LATE_ANSWER\",\"count\":1}}").exchange().expectStatus().isOk();
        String callback = INGEST.url("/webhooks/sms/status?ref=al1%7C100000000000001%3A15551234567%7Ccmd-1%7CFAILOVER");

        // When the SMS is sent
        String sid = client.post().uri("/2010-04-01/Accounts/{sid}/Messages.json", ACCOUNT)
                .headers(h -> h.setBasicAuth(ACCOUNT, TWILIO_TOKEN))
                .body(BodyInserters.fromFormData("To", "+15551234567").with("From", "+15550000001")
                        .with("Body", "late").with("StatusCallback", callback))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("sid").stringValue();

        // Then sent and delivered are posted to that URL, query and all, signed over the full URL as Twilio does
        await().atMost(Duration.ofSeconds(10)).until(() -> INGEST.requests().stream()
                .filter(r -> r.path().startsWith("/webhooks/sms/status?ref=") && r.bodyText().contains(sid)).count() == 2);
        INGEST.requests().stream().filter(r -> r.bodyText().contains(sid)).forEach(c -> {
            assertThat(c.path()).isEqualTo("/webhooks/sms/status?ref=al1%7C100000000000001%3A15551234567%7Ccmd-1%7CFAILOVER");
            assertThat(c.header(TwilioSignature.HEADER)).isEqualTo(TwilioSignature.sign(callback, c.form(), TWILIO_TOKEN));
        });
    }

    @Test
    void shouldNotFailTheSendWhenIngestRejectsStatusWebhooks() {
        // Given ingest failing every webhook
        customerWrites("15551234567", "{\"phoneNumberId\":\"%s\",\"text\":\"hi\"}".formatted(DEMO));
        INGEST.answerWith(500);

        // When / Then the send still succeeds and the status posts are attempted
        String wamid = send(text("15551234567", "still fine")).path("messages").get(0).path("id").stringValue();
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/whatsapp", wamid).size() == 3);
    }

    // --- Twilio-shaped SMS ---

    @Test
    void shouldAcceptAnSmsLikeTwilioAndPostSignedStatusCallbacks() {
        // Given a 161-character GSM-7 body, which takes two segments
        String body = "x".repeat(161);
        String callback = INGEST.url("/webhooks/sms/status");

        // When
        JsonNode created = client.post().uri("/2010-04-01/Accounts/{sid}/Messages.json", ACCOUNT)
                .headers(h -> h.setBasicAuth(ACCOUNT, TWILIO_TOKEN))
                .body(BodyInserters.fromFormData("To", "+15551234567").with("From", "+15550000001")
                        .with("Body", body).with("StatusCallback", callback))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        // Then Twilio's resource comes back queued
        String sid = created.path("sid").stringValue();
        assertThat(sid).matches("SM[0-9a-f]{32}");
        assertThat(created.path("status").stringValue()).isEqualTo("queued");
        assertThat(created.path("num_segments").stringValue()).isEqualTo("2");
        assertThat(created.path("account_sid").stringValue()).isEqualTo(ACCOUNT);
        assertThat(created.path("to").stringValue()).isEqualTo("+15551234567");
        assertThat(created.path("from").stringValue()).isEqualTo("+15550000001");

        // And the phone shows the SMS
        JsonNode received = phone("15551234567").get(0);
        assertThat(received.path("channel").stringValue()).isEqualTo("SMS");
        assertThat(received.path("text").stringValue()).isEqualTo(body);
        assertThat(received.path("providerMessageId").stringValue()).isEqualTo(sid);

        // And sent then delivered are called back, signed over the callback URL and sorted parameters
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/webhooks/sms/status", sid).size() == 2);
        List<Captured> callbacks = requestsTo("/webhooks/sms/status", sid);
        for (Captured c : callbacks) {
            assertThat(c.header(TwilioSignature.HEADER)).isEqualTo(TwilioSignature.sign(callback, c.form(), TWILIO_TOKEN));
            assertThat(c.form()).containsEntry("MessageSid", List.of(sid)).containsEntry("To", List.of("+15551234567"))
                    .containsEntry("From", List.of("+15550000001")).containsEntry("AccountSid", List.of(ACCOUNT));
        }
        assertThat(callbacks).extracting(c -> c.form().get("MessageStatus").get(0)).containsExactly("sent", "delivered");
    }

    @Test
    void shouldRefuseTwilioCallsWithWrongCredentials() {
        client.post().uri("/2010-04-01/Accounts/{sid}/Messages.json", ACCOUNT)
                .headers(h -> h.setBasicAuth(ACCOUNT, "wrong"))
                .body(BodyInserters.fromFormData("To", "+15551234567").with("From", "+15550000001").with("Body", "x"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo(20003);
        assertThat(phone("15551234567")).isEmpty();
    }

    // --- identity provider ---

    @Test
    void shouldRefuseATokenRequestWithANullRoleWith400() {
        client.post().uri("/sandbox/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"agentId\":\"agent-7\",\"tenantId\":\"demo\",\"roles\":[null]}")
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldIssueAgentTokensThatVerifyAgainstTheJwks() throws Exception {
        // When an agent token is issued
        JsonNode issued = client.post().uri("/sandbox/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"agentId\":\"agent-7\",\"tenantId\":\"demo\",\"roles\":[\"agent\"],\"name\":\"Grace\"}")
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        String jwks = client.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        // Then it verifies with the published public key and carries the agreed claims
        SignedJWT jwt = SignedJWT.parse(issued.path("token").stringValue());
        RSAKey key = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("http://127.0.0.1:8089/sandbox");
        assertThat(claims.getAudience()).containsExactly("answerline-gateway");
        assertThat(claims.getSubject()).isEqualTo("agent-7");
        assertThat(claims.getStringClaim("tenant_id")).isEqualTo("demo");
        assertThat(claims.getStringListClaim("roles")).containsExactly("agent");
        assertThat(claims.getStringClaim("name")).isEqualTo("Grace");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(1));
        assertThat(Date.from(Instant.parse(issued.path("expiresAt").stringValue()))).isEqualTo(claims.getExpirationTime());
    }

    @Test
    void shouldReportHealth() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void shouldListenOnLoopbackOnly() throws Exception {
        // Given an address of this machine other than loopback
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "no non-loopback IPv4 address");

        // When / Then the sandbox's port is closed there
        try (Socket socket = new Socket()) {
            assertThat(catchThrowable(() ->
                    socket.connect(new InetSocketAddress(external.get(), port), 2000)))
                    .isInstanceOf(ConnectException.class);
        }
    }

    // --- helpers ---

    private static String template(String to, String name, String... parameters) {
        String params = String.join(",", Arrays.stream(parameters)
                .map(p -> "{\"type\":\"text\",\"text\":\"" + p + "\"}").toList());
        return """
                {"messaging_product":"whatsapp","to":"%s","type":"template","template":{"name":"%s",
                 "language":{"code":"en_US"},"components":[{"type":"body","parameters":[%s]}]}}"""
                .formatted(to, name, params);
    }

    /** Computed here with the JDK, independently of the sandbox's signer. */
    private static String hubSignature(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("local-dev-app-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
