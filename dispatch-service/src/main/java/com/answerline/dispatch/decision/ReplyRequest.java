package com.answerline.dispatch.decision;

import com.answerline.avro.FallbackPolicy;

/**
 * What the agent asked for, as the decision sees it (mapped from the ReplyCommand wire type at the edge).
 *
 * @param text                   free-form answer, null when only a template is sent
 * @param template               an explicitly chosen template, null otherwise
 * @param fallback               what to do when the window is closed; AUTO means the tenant's policy
 * @param observedSessionVersion session version the gateway showed the agent; null when unknown
 */
public record ReplyRequest(String commandId, String tenantId, String conversationId, String agentId, String agentName,
                           String text,
                           TemplateMessage template, FallbackPolicy fallback, Long observedSessionVersion) {

    public ReplyRequest {
        fallback = fallback == null ? FallbackPolicy.AUTO : fallback;
    }

    boolean hasText() {
        return text != null && !text.isBlank();
    }
}
