package com.answerline.sandbox.whatsapp;

import com.answerline.sandbox.config.SandboxProperties.BusinessNumber;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook payloads in the Cloud API's 2026 shape: entry[].changes[].value with metadata, and
 * either contacts[] + messages[] (a customer wrote) or statuses[] (news about our message). Every
 * contact and status carries the customer's BSUID; the phone number only when it may be shown.
 */
public final class MetaWebhooks {

    private MetaWebhooks() {
    }

    /** Who sent a customer's message, and its id and time; {@code phoneDigits} null for a username-only customer. */
    public record Inbound(
            String wamid, String phoneDigits, String bsuid, String profileName, String username, Instant sentAt) {
    }

    /**
     * The media object of an inbound {@code image} or {@code document} message, as Meta sends it: {@code id} (the
     * media id to retrieve), {@code mime_type}, {@code sha256}, {@code filename} (documents only) and {@code caption}.
     */
    public record InboundMedia(String type, String mediaId, String mimeType, String sha256, String fileName,
            String caption) {
    }

    /**
     * A status of one of our messages; {@code recipientPhone} null when sent to a BSUID; {@code callbackData} the
     * send's {@code biz_opaque_callback_data}, echoed in every status of the message as Meta does (null: none given).
     */
    public record Status(
            String wamid, String status, Instant at, String recipientPhone, String recipientBsuid,
            Map<String, Object> pricing, CloudApiError error, String callbackData) {
    }

    /** A customer's text message. */
    public static Map<String, Object> inboundText(BusinessNumber number, Inbound message, String text) {
        return inbound(number, message, "text", Map.of("body", text));
    }

    /** A customer's image or document. */
    public static Map<String, Object> inboundMedia(BusinessNumber number, Inbound message, InboundMedia media) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (media.caption() != null) {
            body.put("caption", media.caption());
        }
        if (media.fileName() != null) {
            body.put("filename", media.fileName());
        }
        body.put("mime_type", media.mimeType());
        body.put("sha256", media.sha256());
        body.put("id", media.mediaId());
        return inbound(number, message, media.type(), body);
    }

    private static Map<String, Object> inbound(BusinessNumber number, Inbound message, String type,
            Map<String, Object> body) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("name", message.profileName());
        if (message.username() != null) {
            profile.put("username", message.username());
        }
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("profile", profile);
        if (message.phoneDigits() != null) {
            contact.put("wa_id", message.phoneDigits());
        }
        contact.put("user_id", message.bsuid());

        Map<String, Object> msg = new LinkedHashMap<>();
        if (message.phoneDigits() != null) {
            msg.put("from", message.phoneDigits());
        }
        msg.put("from_user_id", message.bsuid());
        msg.put("id", message.wamid());
        msg.put("timestamp", unixSeconds(message.sentAt()));
        msg.put(type, body);
        msg.put("type", type);

        Map<String, Object> value = value(number);
        value.put("contacts", List.of(contact));
        value.put("messages", List.of(msg));
        return envelope(number, value);
    }

    public static Map<String, Object> statuses(BusinessNumber number, List<Status> statuses) {
        Map<String, Object> value = value(number);
        value.put("statuses", statuses.stream().map(MetaWebhooks::status).toList());
        return envelope(number, value);
    }

    /**
     * The status webhook's {@code pricing} object as WhatsApp's per-message pricing sent it from July 2025 until
     * 30 September 2026, when free-form (service) messages in the window and utility templates in it were free. From
     * 1 October 2026 WhatsApp charges both at the market's utility rate; the sandbox still reports them
     * {@code free_customer_service} (no dated rules here: nothing reads this object to price a message, dispatch
     * estimates costs from its own dated price list).
     */
    public static Map<String, Object> pricing(TemplateCategory templateCategory, boolean windowOpen) {
        Map<String, Object> pricing = new LinkedHashMap<>();
        boolean free = templateCategory == null || (templateCategory == TemplateCategory.UTILITY && windowOpen);
        pricing.put("billable", !free);
        pricing.put("pricing_model", "PMP");
        pricing.put("category", templateCategory == null ? "service" : templateCategory.name().toLowerCase(java.util.Locale.ROOT));
        pricing.put("type", free ? "free_customer_service" : "regular");
        return pricing;
    }

    private static Map<String, Object> status(Status s) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", s.wamid());
        status.put("status", s.status());
        status.put("timestamp", unixSeconds(s.at()));
        if (s.recipientPhone() != null) {
            status.put("recipient_id", s.recipientPhone());
        }
        status.put("recipient_user_id", s.recipientBsuid());
        if (s.pricing() != null) {
            status.put("pricing", s.pricing());
        }
        if (s.error() != null) {
            status.put("errors", List.of(s.error().toStatusError()));
        }
        if (s.callbackData() != null) {
            status.put("biz_opaque_callback_data", s.callbackData());
        }
        return status;
    }

    private static Map<String, Object> value(BusinessNumber number) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("messaging_product", "whatsapp");
        value.put("metadata", Map.of(
                "display_phone_number", number.displayPhoneNumber(),
                "phone_number_id", number.phoneNumberId()));
        return value;
    }

    private static Map<String, Object> envelope(BusinessNumber number, Map<String, Object> value) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("value", value);
        change.put("field", "messages");
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", number.wabaId());
        entry.put("changes", List.of(change));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("object", "whatsapp_business_account");
        root.put("entry", List.of(entry));
        return root;
    }

    private static String unixSeconds(Instant instant) {
        return Long.toString(instant.getEpochSecond());
    }
}
