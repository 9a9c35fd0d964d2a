package com.answerline.ingest.gateway;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.web.util.UriComponentsBuilder;

import com.answerline.ingest.client.SessionQuery;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.query.PageLimit;

/**
 * The conversation list's query parameters, checked here before session-service sees them (400 naming the
 * parameter), and the link to the next page. The tenant always comes from the token, never from the query.
 * Plain Java, no Spring beyond the URI builder.
 */
final class ConversationQueries {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final PageLimit LIMIT = new PageLimit(DEFAULT_LIMIT, MAX_LIMIT);
    /**
     * The customer-service window lasts 24 h, so a longer horizon selects nothing more; session-service refuses
     * more than P1D, and the gateway says so first, naming the parameter.
     */
    static final Duration MAX_WITHIN = Duration.ofHours(24);
    static final int MAX_CURSOR_LENGTH = 1024;
    static final String ME = "me";
    static final Set<String> WINDOWS = Set.of("open", "expiring", "closed");
    static final String PATH = "/api/v1/conversations";

    private ConversationQueries() {
    }

    /** The list parameters as the agent sent them (strings: every bad value is a 400 naming its parameter). */
    record Params(String window, String within, String assignee, String unassigned, String limit, String cursor) {
    }

    /** @param callerId the token's subject: what {@code assignee=me} means */
    static SessionQuery sessionQuery(Params params, String tenantId, String callerId) {
        String window = window(params.window());
        Duration within = within(params.within(), window);
        boolean unassigned = flag("unassigned", params.unassigned());
        String assignee = blankToNull(params.assignee());
        if (assignee != null && assignee.length() > Assignments.MAX_AGENT_ID_LENGTH) {
            throw new InvalidRequestException("assignee",
                    "must be 'me' or an agent id of at most " + Assignments.MAX_AGENT_ID_LENGTH + " characters");
        }
        if (assignee != null && unassigned) {
            throw new InvalidRequestException("unassigned", "cannot be combined with assignee");
        }
        if (ME.equals(assignee)) {
            assignee = callerId;
        }
        String cursor = blankToNull(params.cursor());
        if (cursor != null && cursor.length() > MAX_CURSOR_LENGTH) {
            throw new InvalidRequestException("cursor", "is not a cursor this API handed out");
        }
        return new SessionQuery(tenantId, window, within, assignee, unassigned, limit(params.limit()), cursor);
    }

    /** The gateway path of the next page: the agent's own parameters (assignee=me stays me) and the new cursor. */
    static String nextLink(Params params, String nextCursor) {
        if (nextCursor == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("window", blankToNull(params.window()));
        values.put("within", blankToNull(params.within()));
        values.put("assignee", blankToNull(params.assignee()));
        values.put("unassigned", blankToNull(params.unassigned()));
        values.put("limit", blankToNull(params.limit()));
        values.put("cursor", nextCursor);
        UriComponentsBuilder link = UriComponentsBuilder.fromPath(PATH);
        Map<String, String> variables = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (value != null) {
                link.queryParam(name, "{" + name + "}");
                variables.put(name, value);
            }
        });
        return link.encode().buildAndExpand(variables).toUriString();
    }

    /** {@code fallback=} of the single read: the policy to preview, AUTO (the tenant's) when absent. */
    static String fallback(String value) {
        return ReplyCommands.fallback(value == null || value.isBlank() ? null : value).name();
    }

    /**
     * {@code category=} of the single read: the draft's mark for the preview ({@code UTILITY}: Direct Send may be
     * offered), null when absent or blank; any other value is a 400 naming {@code category}, as the reply would be.
     */
    static String category(String value) {
        var category = ReplyCommands.category(value == null || value.isBlank() ? null : value);
        return category == null ? null : category.name();
    }

    /**
     * {@code text=} of the single read: the agent's draft for the preview, null when absent or blank; at most a
     * reply's length ({@link ReplyCommands#MAX_TEXT_LENGTH} characters), as the reply itself would be refused.
     */
    static String draft(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        ReplyCommands.requireTextWithinLimit(value);
        return value;
    }

    private static String window(String value) {
        String window = blankToNull(value);
        if (window == null) {
            return null;
        }
        window = window.toLowerCase(Locale.ROOT);
        if (!WINDOWS.contains(window)) {
            throw new InvalidRequestException("window", "must be open, expiring or closed");
        }
        return window;
    }

    private static Duration within(String value, String window) {
        String within = blankToNull(value);
        if (within == null) {
            return null;
        }
        if (!"expiring".equals(window)) {
            throw new InvalidRequestException("within", "only with window=expiring");
        }
        Duration duration;
        try {
            duration = Duration.parse(within);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("within", "must be an ISO-8601 duration such as PT1H");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_WITHIN) > 0) {
            throw new InvalidRequestException("within", "must be more than zero and at most " + MAX_WITHIN);
        }
        return duration;
    }

    private static boolean flag(String name, String value) {
        String flag = blankToNull(value);
        if (flag == null || flag.equalsIgnoreCase("false")) {
            return false;
        }
        if (flag.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidRequestException(name, "must be true or false");
    }

    private static int limit(String value) {
        return LIMIT.parse(value).orElseThrow(() -> new InvalidRequestException("limit", LIMIT.rule()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
