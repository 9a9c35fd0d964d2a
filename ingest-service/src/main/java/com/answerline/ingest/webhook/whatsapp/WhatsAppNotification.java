package com.answerline.ingest.webhook.whatsapp;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one Meta webhook POST says, independent of Avro and Kafka: per {@code entry[].changes[].value}, the
 * business number and its messages and statuses. Field names follow the Cloud API reference.
 */
public record WhatsAppNotification(List<Change> changes) {

    public int messageCount() {
        return changes.stream().mapToInt(c -> c.messages().size()).sum();
    }

    public int statusCount() {
        return changes.stream().mapToInt(c -> c.statuses().size()).sum();
    }

    /**
     * One {@code changes[].value}: everything in it concerns the same business number.
     *
     * @param errors value-level {@code errors[]}: Meta could not deliver something to us (e.g. 131000, an
     *               unsupported payload); not tied to a message or status
     */
    public record Change(String wabaId, String phoneNumberId, List<CustomerMessage> messages,
                         List<MessageStatus> statuses, List<StatusError> errors) {
    }

    /**
     * The customer as the webhook identifies them. {@code phone} (wa_id / from, digits) is absent for a
     * username-only customer; {@code bsuid} ({@code user_id}) is present on 2026 webhooks.
     */
    public record Customer(String phone, String bsuid, String parentUserId, String username, String profileName) {
    }

    /**
     * @param type    Meta's type name, kept as sent (unknown future types too)
     * @param text    body, caption, interactive title, button text or reaction emoji; null when the type has none
     * @param details type-specific fields flattened to strings (media id, mime type, coordinates, ...)
     */
    public record CustomerMessage(String id, Customer customer, String type, String text,
                                  Map<String, String> details, String contextMessageId, AdReferral referral,
                                  Instant sentAt) {
    }

    /** The click-to-WhatsApp ad or Page post the customer came from. */
    public record AdReferral(String sourceType, String sourceId, String sourceUrl, String ctwaClid) {
    }

    /**
     * Status of one of OUR messages: {@code id} is the wamid we got when sending; {@code callbackData} the
     * {@code biz_opaque_callback_data} of the send, as echoed (null when absent), read as a {@code SendReference}.
     */
    public record MessageStatus(String id, String status, Instant occurredAt, String recipientPhone,
                                String recipientBsuid, List<StatusError> errors, String pricingCategory,
                                String pricingType, Boolean billable, String callbackData) {
    }

    public record StatusError(int code, String title, String message, String details) {
    }
}
