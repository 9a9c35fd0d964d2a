package com.answerline.ingest.gateway;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/conversations/{id}/replies}. {@code fallback} and {@code category} stay strings here
 * so a wrong value is reported as a field error rather than an unreadable body. {@code clientCommandId} is the
 * Idempotency-Key for clients that cannot set headers (same rules; both given and different is a 400).
 * {@code category} marks what the text is about, as its author says ({@code UTILITY}; absent: not marked).
 */
public record ReplyRequest(
        @Schema(description = "the answer, at most 4,096 characters (text or template is required)")
        String text,
        TemplateRequest template,
        @Schema(description = "what to do when the window is closed; AUTO (default) is the tenant's policy. "
                + "DIRECT_SEND: the text on WhatsApp through Direct Send when it is marked UTILITY and the business "
                + "number may use it, else the SMS with the link, else the tenant's template",
                allowableValues = {"AUTO", "SMS", "TEMPLATE", "TEMPLATE_THEN_HOLD", "NONE", "DIRECT_SEND"})
        String fallback,
        @Schema(description = "the Idempotency-Key for clients that cannot set headers, 1 to 255 characters")
        String clientCommandId,
        @Schema(description = ReplyCommands.UTILITY_MEANING + " Absent: not marked (never Direct Send). Any other "
                + "value is a 400 naming category.", allowableValues = {"UTILITY"})
        String category) {

    /** A request without a client command id. */
    public ReplyRequest(String text, TemplateRequest template, String fallback) {
        this(text, template, fallback, null);
    }

    /** A request without a category (not marked). */
    public ReplyRequest(String text, TemplateRequest template, String fallback, String clientCommandId) {
        this(text, template, fallback, clientCommandId, null);
    }

    public record TemplateRequest(String name, String language, List<String> parameters) {
    }
}
