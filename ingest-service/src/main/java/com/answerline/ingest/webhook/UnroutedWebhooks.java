package com.answerline.ingest.webhook;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.answerline.avro.UnroutedWebhook;
import com.answerline.avro.WebhookSource;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;

/**
 * Records for {@code unrouted-webhooks}: a signed webhook addressed to a business number no tenant owns (or, for
 * WhatsApp, whose entry names a WABA that is not the owning tenant's). It is
 * answered 200 (a retry cannot route it, and Meta would retry for days) but kept verbatim, with its signature,
 * so an operator can see it and replay it to the same endpoint once the number is configured.
 */
public final class UnroutedWebhooks {

    /**
     * The tenant id of every unrouted record. Every record carries a tenant; this one is reserved so a consumer
     * grouping by tenant never mixes these with a real tenant's records ({@link TenantDirectory} refuses it as a
     * configured tenant). No conversation: conversationId is null.
     */
    public static final String TENANT = TenantDirectory.UNROUTED_TENANT;

    private UnroutedWebhooks() {
    }

    /**
     * One record per unrouted phone_number_id (and cause) of a WhatsApp POST, carrying the whole body as signed:
     * the signature covers the whole body only, so a part of it could never be replayed. The body parsed as JSON,
     * so it is valid UTF-8 and the string gives the signed bytes back.
     *
     * @param reason why it was not routed, without customer data
     */
    public static OutgoingRecord<UnroutedWebhook> whatsApp(String endpoint, String phoneNumberId, String reason,
                                                           byte[] body, String signature, Instant receivedAt) {
        return record(WebhookSource.WHATSAPP, endpoint, phoneNumberId, reason,
                "application/json", new String(body, StandardCharsets.UTF_8), signature, receivedAt);
    }

    /**
     * An SMS webhook (inbound or status callback) whose business number no tenant owns. Twilio signs the URL and
     * the sorted parameters, not the bytes, so the parameters re-encoded in name order verify again.
     *
     * @param businessNumber the business side's digits ("To" of an inbound SMS, "From" of a status callback)
     */
    public static OutgoingRecord<UnroutedWebhook> sms(String endpoint, String businessNumber, Map<String, String> form,
                                                      String signature, Instant receivedAt) {
        return record(WebhookSource.SMS, endpoint, businessNumber, "no tenant owns the business number",
                "application/x-www-form-urlencoded", formEncoded(form), signature, receivedAt);
    }

    static String formEncoded(Map<String, String> form) {
        return new TreeMap<>(form).entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue() == null ? "" : e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static OutgoingRecord<UnroutedWebhook> record(WebhookSource source, String endpoint, String businessNumber,
                                                          String reason, String contentType, String payload,
                                                          String signature, Instant receivedAt) {
        UnroutedWebhook value = UnroutedWebhook.newBuilder()
                .setTenantId(TENANT)
                .setConversationId(null)
                .setSource(source)
                .setEndpoint(endpoint)
                .setBusinessNumber(businessNumber)
                .setReason(reason)
                .setReceivedAt(receivedAt)
                .setContentType(contentType)
                .setPayload(payload)
                .setSignature(signature)
                .build();
        return new OutgoingRecord<>(Topics.UNROUTED_WEBHOOKS, businessNumber, receivedAt, value);
    }
}
