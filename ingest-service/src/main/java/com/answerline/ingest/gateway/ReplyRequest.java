package com.answerline.ingest.gateway;

import java.util.List;

/**
 * Body of {@code POST /api/v1/conversations/{id}/replies}. {@code fallback} stays a string here so a wrong
 * value is reported as a field error rather than an unreadable body. {@code clientCommandId} is the
 * Idempotency-Key for clients that cannot set headers (same rules; both given and different is a 400).
 */
public record ReplyRequest(String text, TemplateRequest template, String fallback, String clientCommandId) {

    /** A request without a client command id. */
    public ReplyRequest(String text, TemplateRequest template, String fallback) {
        this(text, template, fallback, null);
    }

    public record TemplateRequest(String name, String language, List<String> parameters) {
    }
}
