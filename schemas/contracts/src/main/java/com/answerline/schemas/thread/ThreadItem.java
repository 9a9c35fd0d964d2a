package com.answerline.schemas.thread;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.answerline.avro.CostEstimate;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.TemplateRef;
import com.answerline.avro.ThreadMessage;
import com.answerline.avro.ThreadReaction;

/**
 * One message of a conversation's thread as agents' screens read it: the JSON shape of a {@link ThreadMessage}, the
 * same in session-service's read API, the gateway and the live feed's {@code message} events (one home, so the three
 * cannot drift). The Avro record keeps the provider's type-specific fields flattened in {@code details}; this view
 * gives them structure (media, location, contacts, interactive and button replies) and leaves the rest in
 * {@code details}. Null fields are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThreadItem(String id, String direction, String channel, Instant at, String type, String text,
                         String providerMessageId, String replyTo, Media media, Location location,
                         List<Contact> contacts, Interactive interactive, Button button, Referral referral,
                         List<Reaction> reactions, Map<String, String> details, String commandId, String step,
                         String agentId, Template template, String status, String reason, Delivery delivery,
                         Failover failover, Cost estimatedCost, Instant updatedAt) {

    /** Details keys a structured field of this view carries; the others stay in {@code details}. */
    static final Set<String> MAPPED_DETAILS = Set.of("media_id", "mime_type", "filename", "file_size", "latitude",
            "longitude", "name", "address", "url", "contacts", "contact_count", "interactive_type", "reply_id",
            "description", "payload");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The media of an image, document, audio, video or sticker; {@code href} is the gateway path that streams it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(String id, String mimeType, String fileName, Long sizeBytes, String href) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Location(Double latitude, Double longitude, String name, String address, String url) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contact(String name, List<String> phones) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Interactive(String type, String replyId, String title, String description) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Button(String payload, String text) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Referral(String sourceType, String sourceId, String sourceUrl, String ctwaClid) {
    }

    /** A customer's reaction; an empty emoji is a removed reaction. */
    public record Reaction(String emoji, Instant at) {
    }

    public record Template(String name, String language, List<String> parameters) {
    }

    /** accepted -> sent -> delivered -> read, or failed with the provider's code and title. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(String state, Instant acceptedAt, Instant sentAt, Instant deliveredAt, Instant readAt,
                           Instant failedAt, Integer errorCode, String errorTitle) {

        public static Delivery of(DeliveryLifecycle lifecycle) {
            return lifecycle == null ? null : new Delivery(lifecycle.getState().name(), lifecycle.getAcceptedAt(),
                    lifecycle.getSentAt(), lifecycle.getDeliveredAt(), lifecycle.getReadAt(), lifecycle.getFailedAt(),
                    lifecycle.getErrorCode(), lifecycle.getErrorTitle());
        }
    }

    /** The two messages of a failover: {@code of} on the failover send, {@code replacedBy} on the failed one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failover(String of, String replacedBy) {
    }

    /** An estimated price: {@code amount} in currency units (exact decimal), {@code amountMicros} in millionths. */
    public record Cost(String currency, String amount, long amountMicros, String basis) {

        public static Cost of(CostEstimate estimate) {
            return estimate == null ? null : new Cost(estimate.getCurrency(),
                    BigDecimal.valueOf(estimate.getAmountMicros(), 6).stripTrailingZeros().toPlainString(),
                    estimate.getAmountMicros(), estimate.getBasis());
        }
    }

    /** The view of {@code message}. */
    public static ThreadItem of(ThreadMessage message) {
        Map<String, String> details = message.getDetails() == null ? Map.of() : message.getDetails();
        String conversationId = message.getConversationId();
        Map<String, String> rest = new LinkedHashMap<>();
        details.forEach((key, value) -> {
            if (!MAPPED_DETAILS.contains(key) && value != null) {
                rest.put(key, value);
            }
        });
        TemplateRef template = message.getTemplate();
        return new ThreadItem(message.getEntryId(), message.getDirection().name(),
                message.getChannel() == null ? null : message.getChannel().name(), message.getAt(), message.getType(),
                message.getText(), message.getProviderMessageId(), message.getContextMessageId(),
                media(conversationId, details), location(details), contacts(details),
                interactive(message.getType(), message.getText(), details), button(message.getType(), message.getText(), details),
                referral(message.getReferral()), reactions(message.getReactions()), rest.isEmpty() ? null : Map.copyOf(rest),
                message.getCommandId(), message.getStep() == null ? null : message.getStep().name(), message.getAgentId(),
                template == null ? null : new Template(template.getName(), template.getLanguage(),
                        List.copyOf(template.getParameters())),
                message.getOutcomeStatus() == null ? null : message.getOutcomeStatus().name(),
                message.getOutcomeReason() == null ? null : message.getOutcomeReason().name(),
                Delivery.of(message.getDelivery()), failover(message), Cost.of(message.getEstimatedCost()),
                message.getUpdatedAt());
    }

    /** The entry id of a customer's message: {@code in:<messageId>}. */
    public static String inboundEntryId(String messageId) {
        return "in:" + messageId;
    }

    /** The entry id of one send of a reply command: {@code out:<commandId>/<step>}. */
    public static String outboundEntryId(String commandId, String step) {
        return "out:" + commandId + "/" + step;
    }

    /** The gateway path that streams a media id of a conversation. */
    public static String mediaHref(String conversationId, String mediaId) {
        return "/api/v1/conversations/" + URLEncoder.encode(conversationId, StandardCharsets.UTF_8).replace("%3A", ":")
                + "/media/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8);
    }

    private static Media media(String conversationId, Map<String, String> details) {
        String id = details.get("media_id");
        if (id == null) {
            return null;
        }
        return new Media(id, details.get("mime_type"), details.get("filename"), parseLong(details.get("file_size")),
                mediaHref(conversationId, id));
    }

    private static Location location(Map<String, String> details) {
        Double latitude = parseDouble(details.get("latitude"));
        Double longitude = parseDouble(details.get("longitude"));
        if (latitude == null || longitude == null) {
            return null;
        }
        return new Location(latitude, longitude, details.get("name"), details.get("address"), details.get("url"));
    }

    /** {@code details.contacts}: the parser's JSON array of {@code {"name": ..., "phones": [...]}}. */
    private static List<Contact> contacts(Map<String, String> details) {
        String json = details.get("contacts");
        if (json == null) {
            return null;
        }
        try {
            List<Contact> contacts = new ArrayList<>();
            for (JsonNode contact : JSON.readTree(json)) {
                List<String> phones = new ArrayList<>();
                contact.path("phones").forEach(phone -> phones.add(phone.asText()));
                contacts.add(new Contact(contact.path("name").isTextual() ? contact.path("name").asText() : null,
                        List.copyOf(phones)));
            }
            return List.copyOf(contacts);
        } catch (JsonProcessingException e) {
            return null; // shown by count only; the raw value is not worth an error on a read
        }
    }

    private static Interactive interactive(String type, String text, Map<String, String> details) {
        return "interactive".equals(type) ? new Interactive(details.get("interactive_type"), details.get("reply_id"),
                text, details.get("description")) : null;
    }

    private static Button button(String type, String text, Map<String, String> details) {
        return "button".equals(type) ? new Button(details.get("payload"), text) : null;
    }

    private static Referral referral(com.answerline.avro.Referral referral) {
        return referral == null ? null : new Referral(referral.getSourceType(), referral.getSourceId(),
                referral.getSourceUrl(), referral.getCtwaClid());
    }

    private static List<Reaction> reactions(List<ThreadReaction> reactions) {
        return reactions == null || reactions.isEmpty() ? null
                : reactions.stream().map(r -> new Reaction(r.getEmoji(), r.getAt())).toList();
    }

    private static Failover failover(ThreadMessage message) {
        if (message.getFailoverEntryId() != null) {
            return new Failover(null, message.getFailoverEntryId());
        }
        if (message.getFailoverOfEntryId() != null) {
            return new Failover(message.getFailoverOfEntryId(), null);
        }
        return null;
    }

    private static Long parseLong(String value) {
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String value) {
        try {
            return value == null ? null : Double.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
