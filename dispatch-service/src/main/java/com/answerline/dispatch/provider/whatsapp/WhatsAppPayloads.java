package com.answerline.dispatch.provider.whatsapp;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** JSON bodies of the Cloud API's send-message endpoint, in the field order of Meta's reference. */
final class WhatsAppPayloads {

    private WhatsAppPayloads() {
    }

    /**
     * A free-form text. {@code biz_opaque_callback_data} (our {@code SendReference}, at most 512 characters) is echoed
     * in every status of the message; left out when null.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"messaging_product", "recipient_type", "to", "type", "category", "ttl", "text",
            "biz_opaque_callback_data"})
    record TextMessage(@JsonProperty("messaging_product") String messagingProduct,
                       @JsonProperty("recipient_type") String recipientType, String to, String type, String category,
                       Long ttl, Text text, @JsonProperty("biz_opaque_callback_data") String callbackData) {

        static TextMessage of(String to, String body, String callbackData) {
            return new TextMessage("whatsapp", "individual", to, "text", null, null, new Text(true, body), callbackData);
        }

        /**
         * A Direct Send text (Cloud API 2026-07-31): the same text with {@code "category":"utility"}, sent outside the
         * window without a template, and its time-to-live in seconds (WhatsApp drops it undelivered after that).
         */
        static TextMessage directSend(String to, String body, long ttlSeconds, String callbackData) {
            return new TextMessage("whatsapp", "individual", to, "text", DIRECT_SEND_CATEGORY, ttlSeconds,
                    new Text(true, body), callbackData);
        }
    }

    /** The only category dispatch sends through Direct Send. */
    static final String DIRECT_SEND_CATEGORY = "utility";

    @JsonPropertyOrder({"preview_url", "body"})
    record Text(@JsonProperty("preview_url") boolean previewUrl, String body) {
    }

    /** A template; {@code biz_opaque_callback_data} as for {@link TextMessage}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"messaging_product", "to", "type", "template", "biz_opaque_callback_data"})
    record TemplateMessage(@JsonProperty("messaging_product") String messagingProduct, String to, String type,
                           Template template, @JsonProperty("biz_opaque_callback_data") String callbackData) {

        static TemplateMessage of(String to, String name, String language, List<String> parameters,
                                  String callbackData) {
            List<Component> components = parameters.isEmpty() ? null
                    : List.of(new Component("body", parameters.stream().map(p -> new Parameter("text", p)).toList()));
            return new TemplateMessage("whatsapp", to, "template", new Template(name, new Language(language), components),
                    callbackData);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "language", "components"})
    record Template(String name, Language language, List<Component> components) {
    }

    record Language(String code) {
    }

    @JsonPropertyOrder({"type", "parameters"})
    record Component(String type, List<Parameter> parameters) {
    }

    @JsonPropertyOrder({"type", "text"})
    record Parameter(String type, String text) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SendResponse(List<MessageId> messages) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MessageId(String id) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorEnvelope(Error error) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Error(String message, String type, Integer code, @JsonProperty("error_data") ErrorData errorData,
                 @JsonProperty("fbtrace_id") String fbtraceId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorData(String details) {
    }
}
