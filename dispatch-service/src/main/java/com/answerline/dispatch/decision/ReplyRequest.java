package com.answerline.dispatch.decision;

import com.answerline.avro.ContentCategory;
import com.answerline.avro.FallbackPolicy;

/**
 * What the agent asked for, as the decision sees it (mapped from the ReplyCommand wire type at the edge).
 *
 * @param text                   free-form answer, null when only a template is sent
 * @param template               an explicitly chosen template, null otherwise
 * @param fallback               what to do when the window is closed; AUTO means the tenant's policy
 * @param observedSessionVersion session version the gateway showed the agent; null when unknown
 * @param category               what the text is, as its author marks it: UTILITY may go through Direct Send outside
 *                               the window; null or UNSPECIFIED: not marked (never Direct Send)
 */
public record ReplyRequest(String commandId, String tenantId, String conversationId, String agentId, String agentName,
                           String text,
                           TemplateMessage template, FallbackPolicy fallback, Long observedSessionVersion,
                           ContentCategory category) {

    public ReplyRequest {
        fallback = fallback == null ? FallbackPolicy.AUTO : fallback;
    }

    /** A reply whose content is not marked (no category). */
    public ReplyRequest(String commandId, String tenantId, String conversationId, String agentId, String agentName,
                        String text, TemplateMessage template, FallbackPolicy fallback, Long observedSessionVersion) {
        this(commandId, tenantId, conversationId, agentId, agentName, text, template, fallback, observedSessionVersion,
                null);
    }

    boolean utility() {
        return category == ContentCategory.UTILITY;
    }

    boolean hasText() {
        return text != null && !text.isBlank();
    }
}
