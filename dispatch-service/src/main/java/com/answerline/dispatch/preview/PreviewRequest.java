package com.answerline.dispatch.preview;

import java.util.List;

/**
 * Body of {@code POST /api/v1/channel-preview}. Strings where the decision has enums or instants, so that a
 * wrong value is answered as a 400 naming its field rather than an unreadable body.
 *
 * @param fallback AUTO (default: the tenant's policy), SMS, TEMPLATE, TEMPLATE_THEN_HOLD or NONE
 * @param template an explicitly chosen template; null for the usual case, a free-form text reply
 * @param session  the conversation's session as session-service shows it; null = unknown conversation
 */
public record PreviewRequest(String tenantId, String conversationId, String fallback, Template template,
                             Session session) {

    public record Template(String name, String language, List<String> parameters) {
    }

    /** @param windowExpiresAt ISO-8601 instant; null when no customer message opened a window yet */
    public record Session(Long version, String windowExpiresAt, String customerPhone, String customerBsuid,
                          String customerProfileName) {
    }
}
