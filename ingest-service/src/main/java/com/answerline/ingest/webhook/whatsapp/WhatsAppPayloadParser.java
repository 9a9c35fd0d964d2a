package com.answerline.ingest.webhook.whatsapp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.AdReferral;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.Change;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.Customer;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.CustomerMessage;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.MessageStatus;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.StatusError;

/**
 * Reads the Cloud API webhook shape (DOMAIN.md section 2 and 2a) into a {@link WhatsAppNotification}.
 * Tolerant where Meta adds things (unknown message types keep their name, unknown fields are ignored),
 * strict where we cannot route or deduplicate without a field (ids, timestamps, phone_number_id, the
 * customer's identity): those fail with the JSON path of the missing field.
 */
public final class WhatsAppPayloadParser {

    private static final Set<String> MEDIA_TYPES = Set.of("image", "audio", "video", "document", "sticker");

    private final JsonMapper json = JsonMapper.builder().build();

    public WhatsAppNotification parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException(null, "body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(null, "body must be a JSON object");
        }
        JsonNode entries = requireArray(root, "entry", "entry");
        List<Change> changes = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            JsonNode entry = entries.get(e);
            String entryPath = "entry[" + e + "]";
            String wabaId = optionalText(entry, "id");
            JsonNode entryChanges = optionalArray(entry, "changes", entryPath + ".changes");
            for (int c = 0; c < entryChanges.size(); c++) {
                String changePath = entryPath + ".changes[" + c + "]";
                JsonNode value = entryChanges.get(c).path("value");
                if (!value.isObject()) {
                    throw new InvalidRequestException(changePath + ".value", "is required");
                }
                changes.add(change(value, changePath + ".value", wabaId));
            }
        }
        return new WhatsAppNotification(List.copyOf(changes));
    }

    private Change change(JsonNode value, String path, String wabaId) {
        String phoneNumberId = requireText(value.path("metadata"), "phone_number_id", path + ".metadata.phone_number_id");
        List<JsonNode> contacts = new ArrayList<>();
        value.path("contacts").forEach(contacts::add);

        List<CustomerMessage> messages = new ArrayList<>();
        JsonNode messageNodes = optionalArray(value, "messages", path + ".messages");
        for (int m = 0; m < messageNodes.size(); m++) {
            messages.add(message(messageNodes.get(m), path + ".messages[" + m + "]", contacts));
        }
        List<MessageStatus> statuses = new ArrayList<>();
        JsonNode statusNodes = optionalArray(value, "statuses", path + ".statuses");
        for (int s = 0; s < statusNodes.size(); s++) {
            statuses.add(status(statusNodes.get(s), path + ".statuses[" + s + "]"));
        }
        return new Change(wabaId, phoneNumberId, List.copyOf(messages), List.copyOf(statuses), errors(value, path));
    }

    private CustomerMessage message(JsonNode message, String path, List<JsonNode> contacts) {
        String id = requireText(message, "id", path + ".id");
        String type = requireText(message, "type", path + ".type");
        Instant sentAt = requireTimestamp(message, path + ".timestamp");
        Customer customer = customer(message, contacts);
        if (customer.phone() == null && customer.bsuid() == null) {
            // Neither a number nor a BSUID: nothing to key the conversation on.
            throw new InvalidRequestException(path + ".from", "customer has neither a phone number (from / wa_id) nor a user_id");
        }
        Map<String, String> details = new LinkedHashMap<>();
        String text = body(message, type, details);
        JsonNode context = message.path("context");
        String contextMessageId = optionalText(context, "id");
        if (optionalText(context, "from") != null) {
            details.put("context_from", optionalText(context, "from"));
        }
        return new CustomerMessage(id, customer, type, text, Map.copyOf(details), contextMessageId,
                referral(message.path("referral")), sentAt);
    }

    /**
     * The contact block that belongs to this message: by number, else by BSUID, else the only one present.
     * A username-only customer has no {@code from} / {@code wa_id}, only {@code user_id}.
     */
    private static Customer customer(JsonNode message, List<JsonNode> contacts) {
        String from = optionalText(message, "from");
        String fromUserId = optionalText(message, "from_user_id");
        JsonNode contact = null;
        for (JsonNode candidate : contacts) {
            if ((from != null && from.equals(optionalText(candidate, "wa_id")))
                    || (fromUserId != null && fromUserId.equals(optionalText(candidate, "user_id")))) {
                contact = candidate;
                break;
            }
        }
        if (contact == null && contacts.size() == 1) {
            contact = contacts.get(0);
        }
        JsonNode c = contact == null ? MissingNode.getInstance() : contact;
        String phone = from != null ? from : optionalText(c, "wa_id");
        String bsuid = fromUserId != null ? fromUserId : optionalText(c, "user_id");
        String parent = optionalText(c, "parent_user_id");
        if (parent == null) {
            parent = optionalText(message, "from_parent_user_id");
        }
        return new Customer(digitsOrNull(phone), bsuid, parent, optionalText(c.path("profile"), "username"),
                optionalText(c.path("profile"), "name"));
    }

    /** The human-readable part of a message by type; type-specific fields go to {@code details}. */
    private static String body(JsonNode message, String type, Map<String, String> details) {
        JsonNode content = message.path(type);
        if (MEDIA_TYPES.contains(type)) {
            put(details, "media_id", content, "id");
            put(details, "mime_type", content, "mime_type");
            put(details, "sha256", content, "sha256");
            put(details, "filename", content, "filename");
            put(details, "file_size", content, "file_size");
            put(details, "animated", content, "animated");
            put(details, "voice", content, "voice");
            return optionalText(content, "caption");
        }
        return switch (type) {
            case "text" -> optionalText(content, "body");
            case "interactive" -> {
                String kind = optionalText(content, "type");
                details.put("interactive_type", kind == null ? "unknown" : kind);
                JsonNode reply = kind == null ? MissingNode.getInstance() : content.path(kind);
                put(details, "reply_id", reply, "id");
                put(details, "description", reply, "description");
                if (reply.has("response_json")) {
                    put(details, "response_json", reply, "response_json");
                }
                yield optionalText(reply, "title") != null ? optionalText(reply, "title") : optionalText(reply, "body");
            }
            case "button" -> {
                put(details, "payload", content, "payload");
                yield optionalText(content, "text");
            }
            case "reaction" -> {
                put(details, "reacted_message_id", content, "message_id");
                yield optionalText(content, "emoji");
            }
            case "location" -> {
                put(details, "latitude", content, "latitude");
                put(details, "longitude", content, "longitude");
                put(details, "name", content, "name");
                put(details, "address", content, "address");
                put(details, "url", content, "url");
                yield null;
            }
            case "contacts" -> {
                details.put("contact_count", Integer.toString(content.size()));
                details.put("contacts", sharedContacts(content));
                yield null;
            }
            case "order" -> {
                put(details, "catalog_id", content, "catalog_id");
                details.put("item_count", Integer.toString(content.path("product_items").size()));
                yield optionalText(content, "text");
            }
            case "system" -> {
                put(details, "system_type", content, "type");
                put(details, "wa_id", content, "wa_id");
                yield optionalText(content, "body");
            }
            default -> {
                // unsupported and types Meta adds later: kept by name, never dropped; the error code helps support.
                JsonNode errors = message.path("errors");
                if (errors.size() > 0) {
                    put(details, "error_code", errors.get(0), "code");
                }
                yield null;
            }
        };
    }

    /**
     * The contact cards a customer shared, as the thread shows them: a JSON array of
     * {@code {"name": formatted_name, "phones": [phone, ...]}} (a phone without its text is given by its wa_id). The
     * cards' other fields (emails, addresses, org, ...) are not kept.
     */
    private static String sharedContacts(JsonNode cards) {
        ArrayNode contacts = JsonNodeFactory.instance.arrayNode();
        if (cards.isArray()) {
            for (JsonNode card : cards) {
                ObjectNode contact = contacts.addObject();
                contact.put("name", optionalText(card.path("name"), "formatted_name"));
                ArrayNode phones = contact.putArray("phones");
                for (JsonNode phone : card.path("phones")) {
                    String number = optionalText(phone, "phone") != null ? optionalText(phone, "phone")
                            : optionalText(phone, "wa_id");
                    if (number != null) {
                        phones.add(number);
                    }
                }
            }
        }
        return contacts.toString();
    }

    private static AdReferral referral(JsonNode referral) {
        if (!referral.isObject()) {
            return null;
        }
        return new AdReferral(optionalText(referral, "source_type"), optionalText(referral, "source_id"),
                optionalText(referral, "source_url"), optionalText(referral, "ctwa_clid"));
    }

    private MessageStatus status(JsonNode status, String path) {
        String id = requireText(status, "id", path + ".id");
        String state = requireText(status, "status", path + ".status");
        Instant occurredAt = requireTimestamp(status, path + ".timestamp");
        String recipientPhone = digitsOrNull(optionalText(status, "recipient_id"));
        String recipientBsuid = optionalText(status, "recipient_user_id");
        if (recipientPhone == null && recipientBsuid == null) {
            throw new InvalidRequestException(path + ".recipient_id", "recipient has neither recipient_id nor recipient_user_id");
        }
        List<StatusError> errors = errors(status, path);
        JsonNode pricing = status.path("pricing");
        Boolean billable = pricing.path("billable").isBoolean() ? pricing.path("billable").booleanValue() : null;
        return new MessageStatus(id, state, occurredAt, recipientPhone, recipientBsuid, List.copyOf(errors),
                optionalText(pricing, "category"), optionalText(pricing, "type"), billable,
                optionalText(status, "biz_opaque_callback_data"));
    }

    /** {@code errors[]} of a status or of a change's value: code, title, message, error_data.details. */
    private static List<StatusError> errors(JsonNode node, String path) {
        List<StatusError> errors = new ArrayList<>();
        JsonNode errorNodes = optionalArray(node, "errors", path + ".errors");
        for (int i = 0; i < errorNodes.size(); i++) {
            JsonNode error = errorNodes.get(i);
            JsonNode code = error.path("code");
            if (!code.canConvertToInt()) {
                throw new InvalidRequestException(path + ".errors[" + i + "].code", "must be an integer");
            }
            errors.add(new StatusError(code.asInt(), optionalText(error, "title"), optionalText(error, "message"),
                    optionalText(error.path("error_data"), "details")));
        }
        return List.copyOf(errors);
    }

    /**
     * An array that may be absent (or null): absent reads as empty, anything but an array is refused. Indexing an
     * object or a scalar as if it were the array gave null elements (a 500 on {@code "messages":{"a":1}}).
     */
    private static JsonNode optionalArray(JsonNode node, String name, String path) {
        JsonNode value = node.path(name);
        if (value.isMissingNode() || value.isNull() || value.isArray()) {
            return value;
        }
        throw new InvalidRequestException(path, "must be an array");
    }

    private static JsonNode requireArray(JsonNode node, String name, String path) {
        JsonNode value = node.path(name);
        if (!value.isArray()) {
            throw new InvalidRequestException(path, "is required and must be an array");
        }
        return value;
    }

    private static String requireText(JsonNode node, String name, String path) {
        String value = optionalText(node, name);
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(path, "is required");
        }
        return value;
    }

    /** The largest Unix time an Instant holds, rounded down to a year: 9999-12-31T23:59:59Z. */
    private static final long MAX_UNIX_SECONDS = 253_402_300_799L;

    /**
     * WhatsApp timestamps are Unix seconds, sent as a string (a number is accepted too). A value that is no whole
     * number of seconds between 1970 and 9999 is a 400 naming the field; whether a time is plausible is for the
     * upstream guard of session-service to judge.
     */
    private static Instant requireTimestamp(JsonNode node, String path) {
        JsonNode value = node.path("timestamp");
        long seconds;
        if (value.isNumber()) {
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new InvalidRequestException(path, "must be Unix seconds");
            }
            seconds = value.asLong();
        } else {
            String text = value.isString() ? value.stringValue() : null;
            if (text == null || text.isBlank()) {
                throw new InvalidRequestException(path, "is required");
            }
            try {
                seconds = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException(path, "must be Unix seconds");
            }
        }
        if (seconds < 0 || seconds > MAX_UNIX_SECONDS) {
            throw new InvalidRequestException(path, "must be Unix seconds");
        }
        return Instant.ofEpochSecond(seconds);
    }

    /** A scalar field as text (numbers and booleans too), null when absent or null. */
    private static String optionalText(JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (value.isMissingNode() || value.isNull() || value.isContainer()) {
            return null;
        }
        return value.asString();
    }

    private static void put(Map<String, String> details, String key, JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        details.put(key, value.isContainer() ? value.toString() : value.asString());
    }

    private static String digitsOrNull(String number) {
        if (number == null) {
            return null;
        }
        String digits = number.replaceAll("\\D", "");
        return digits.isEmpty() ? null : digits;
    }
}
