package com.answerline.session.query;

import java.util.LinkedHashMap;
import java.util.Map;

import com.answerline.schemas.conversation.ConversationId;
import com.answerline.session.thread.ThreadKeys;
import com.answerline.schemas.query.PageLimit;

/**
 * A request for one page of a conversation's thread, checked: every bad value is an {@link InvalidQueryException}
 * naming its parameter (400). Plain Java.
 *
 * @param conversationId the conversation, well-formed
 * @param tenantId       the caller's tenant: another tenant's conversation is not found, exactly like an unknown one
 * @param before         the sort key of the previous page's last item (from its cursor); null for the newest page
 * @param limit          1 to {@value #MAX_LIMIT}
 */
public record ThreadQuery(String conversationId, String tenantId, String before, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;
    private static final PageLimit LIMIT = new PageLimit(DEFAULT_LIMIT, MAX_LIMIT);

    /** Reads the API's parameters as the client sent them. */
    public static ThreadQuery parse(String conversationId, String tenantId, String before, String limit) {
        String id = conversation(conversationId);
        String tenant = tenant(tenantId);
        String sortKey = null;
        if (before != null && !before.isBlank()) {
            try {
                sortKey = ThreadKeys.sortKeyOfCursor(before.trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidQueryException("before", "before " + e.getMessage());
            }
        }
        return new ThreadQuery(id, tenant, sortKey, limit(limit));
    }

    /**
     * The query as another instance's API takes it (the cursor re-made from the sort key); the tenant is the forwarded
     * token's, never a parameter.
     */
    public Map<String, String> toParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("limit", Integer.toString(limit));
        if (before != null) {
            parameters.put("before", ThreadKeys.cursor(before));
        }
        return parameters;
    }

    /** A conversation id of the API's paths: well-formed, and no control characters (they delimit store keys). */
    static String conversation(String conversationId) {
        try {
            String id = ConversationId.parse(conversationId).toString();
            if (id.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("conversation id must not contain control characters");
            }
            return id;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidQueryException("conversationId", e.getMessage());
        }
    }

    static String tenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new InvalidQueryException("tenantId", "tenantId is required");
        }
        return tenantId.trim();
    }

    private static int limit(String value) {
        return LIMIT.parse(value).orElseThrow(() -> new InvalidQueryException("limit", "limit " + LIMIT.rule()));
    }
}
