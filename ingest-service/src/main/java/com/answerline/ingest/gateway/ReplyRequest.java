package com.answerline.ingest.gateway;

import java.util.List;

/**
 * Body of {@code POST /api/v1/conversations/{id}/replies}. {@code fallback} stays a string here so a wrong
 * value is reported as a field error rather than an unreadable body.
 */
public record ReplyRequest(String text, TemplateRequest template, String fallback) {

    public record TemplateRequest(String name, String language, List<String> parameters) {
    }
}
