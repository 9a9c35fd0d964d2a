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

    @JsonPropertyOrder({"messaging_product", "recipient_type", "to", "type", "text"})
    record TextMessage(@JsonProperty("messaging_product") String messagingProduct,
                       @JsonProperty("recipient_type") String recipientType, String to, String type, Text text) {

        static TextMessage of(String to, String body) {
            return new TextMessage("whatsapp", "individual", to, "text", new Text(true, body));
        }
    }

    @JsonPropertyOrder({"preview_url", "body"})
    record Text(@JsonProperty("preview_url") boolean previewUrl, String body) {
    }

    @JsonPropertyOrder({"messaging_product", "to", "type", "template"})
    record TemplateMessage(@JsonProperty("messaging_product") String messagingProduct, String to, String type,
                           Template template) {

        static TemplateMessage of(String to, String name, String language, List<String> parameters) {
            List<Component> components = parameters.isEmpty() ? null
                    : List.of(new Component("body", parameters.stream().map(p -> new Parameter("text", p)).toList()));
            return new TemplateMessage("whatsapp", to, "template", new Template(name, new Language(language), components));
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
