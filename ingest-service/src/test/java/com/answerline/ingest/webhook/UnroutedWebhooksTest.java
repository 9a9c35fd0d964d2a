package com.answerline.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.answerline.avro.UnroutedWebhook;
import com.answerline.avro.WebhookSource;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.webhook.sms.TwilioSignatureVerifier;
import com.answerline.schemas.topic.Topics;

class UnroutedWebhooksTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void shouldKeepAWhatsAppBodyByteForByteKeyedByPhoneNumberIdWithoutTenantOrConversation() {
        // Given a signed body with non-ASCII text
        byte[] body = "{\"entry\":[{\"changes\":[{\"value\":{\"metadata\":{\"phone_number_id\":\"100000000000999\"},\"x\":\"Grüße ✓\"}}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        // When
        OutgoingRecord<UnroutedWebhook> record = UnroutedWebhooks.whatsApp("/webhooks/whatsapp", "100000000000999",
                "no tenant owns phone_number_id", body, "sha256=abc", RECEIVED);
        // Then
        assertThat(record.topic()).isEqualTo(Topics.UNROUTED_WEBHOOKS);
        assertThat(record.key()).isEqualTo("100000000000999");
        assertThat(record.timestamp()).isEqualTo(RECEIVED);
        UnroutedWebhook value = record.value();
        assertThat(value.getTenantId()).isEqualTo("unrouted");
        assertThat(value.getConversationId()).isNull();
        assertThat(value.getSource()).isEqualTo(WebhookSource.WHATSAPP);
        assertThat(value.getEndpoint()).isEqualTo("/webhooks/whatsapp");
        assertThat(value.getBusinessNumber()).isEqualTo("100000000000999");
        assertThat(value.getReason()).isEqualTo("no tenant owns phone_number_id");
        assertThat(value.getContentType()).isEqualTo("application/json");
        assertThat(value.getPayload().getBytes(StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(value.getSignature()).isEqualTo("sha256=abc");
        assertThat(value.getReceivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void shouldKeepAnSmsFormSoThatItsTwilioSignatureStillVerifies() {
        // Given an inbound SMS to a number no tenant owns, signed by Twilio
        TwilioSignatureVerifier twilio = new TwilioSignatureVerifier("local-dev-twilio-auth-token");
        String url = "https://ingest.example.test/webhooks/sms";
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", "+15559999999");
        form.put("From", "+31612345678");
        form.put("MessageSid", "SM1");
        form.put("Body", "héllo & bye=1");
        String signature = twilio.sign(url, multi(form));
        // When
        OutgoingRecord<UnroutedWebhook> record = UnroutedWebhooks.sms("/webhooks/sms", "15559999999", form, signature, RECEIVED);
        // Then the kept form, decoded, is the same parameters and verifies with the same signature
        UnroutedWebhook value = record.value();
        assertThat(record.key()).isEqualTo("15559999999");
        assertThat(value.getSource()).isEqualTo(WebhookSource.SMS);
        assertThat(value.getContentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(value.getPayload()).startsWith("Body=").contains("&From=").contains("&MessageSid=SM1&To=");
        Map<String, String> decoded = decode(value.getPayload());
        assertThat(decoded).isEqualTo(form);
        assertThat(twilio.verify(url, multi(decoded), value.getSignature())).isTrue();
    }

    private static Map<String, List<String>> multi(Map<String, String> form) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        form.forEach((k, v) -> params.put(k, List.of(v)));
        return params;
    }

    private static Map<String, String> decode(String encoded) {
        return Arrays.stream(encoded.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8), p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8),
                (a, b) -> a, LinkedHashMap::new));
    }
}
