package com.answerline.dispatch.preview;

import java.util.List;

/**
 * Body of {@code POST /api/v1/channel-preview}. Strings where the decision has enums or instants, so that a
 * wrong value is answered as a 400 naming its field rather than an unreadable body.
 *
 * @param tenantId the caller's tenant; may be left out (the tenant is the token's), else must be the token's (404)
 * @param fallback AUTO (default: the tenant's policy), SMS, TEMPLATE, TEMPLATE_THEN_HOLD, NONE or DIRECT_SEND
 * @param template an explicitly chosen template; null for the usual case, a free-form text reply
 * @param session  the conversation's session as session-service shows it; null = unknown conversation
 * @param text     the agent's draft, at most {@link ChannelPreviews#MAX_TEXT_LENGTH} characters: decided on, and
 *                 its SMS counted in segments; null when the agent has written nothing yet
 * @param category what the agent marks the draft as, as a reply command would: UTILITY (may go through Direct Send
 *                 outside the window) or UNSPECIFIED; null = not marked
 */
public record PreviewRequest(String tenantId, String conversationId, String fallback, Template template,
                             Session session, String text, String category) {

    /** The same request for {@code tenant} (the caller's token's). */
    PreviewRequest withTenantId(String tenant) {
        return new PreviewRequest(tenant, conversationId, fallback, template, session, text, category);
    }

    /** A draft not marked with a category. */
    public PreviewRequest(String tenantId, String conversationId, String fallback, Template template, Session session,
                          String text) {
        this(tenantId, conversationId, fallback, template, session, text, null);
    }

    /** Without a draft. */
    public PreviewRequest(String tenantId, String conversationId, String fallback, Template template, Session session) {
        this(tenantId, conversationId, fallback, template, session, null, null);
    }

    public record Template(String name, String language, List<String> parameters) {
    }

    /**
     * @param windowExpiresAt ISO-8601 instant; null when no customer message opened a window yet
     * @param windowOpenedAt  ISO-8601 instant of the message that opened the window; null when none
     * @param freeEntryPoint  the window was opened from an ad or Page referral (pricing only); null = false
     * @param unansweredSince ISO-8601 instant of the first unanswered customer message; null when none
     */
    public record Session(Long version, String windowExpiresAt, String customerPhone, String customerBsuid,
                          String customerProfileName, String windowOpenedAt, Boolean freeEntryPoint,
                          String unansweredSince) {

        /** A window not opened from a referral. */
        public Session(Long version, String windowExpiresAt, String customerPhone, String customerBsuid,
                       String customerProfileName) {
            this(version, windowExpiresAt, customerPhone, customerBsuid, customerProfileName, null, null, null);
        }
    }
}
