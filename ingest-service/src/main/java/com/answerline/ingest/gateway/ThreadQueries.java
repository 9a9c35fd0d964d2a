package com.answerline.ingest.gateway;

import java.util.regex.Pattern;

import org.springframework.web.util.UriComponentsBuilder;

import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.query.PageLimit;

/**
 * The thread read's query parameters, checked here before session-service sees them (400 naming the parameter), and
 * the link to the next page. Plain Java, no Spring beyond the URI builder.
 */
final class ThreadQueries {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    private static final PageLimit LIMIT = new PageLimit(DEFAULT_LIMIT, MAX_LIMIT);
    /** Cursors are base64url: anything else is refused here; whether it is one session handed out, session says. */
    private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_-]{1,2048}");

    private ThreadQueries() {
    }

    /** {@code before}: null for the newest page, else a cursor of the cursor alphabet and size. */
    static String before(String value) {
        String before = value == null || value.isBlank() ? null : value.trim();
        if (before != null && !CURSOR.matcher(before).matches()) {
            throw new InvalidRequestException("before", "is not a cursor this API handed out");
        }
        return before;
    }

    static int limit(String value) {
        return LIMIT.parse(value).orElseThrow(() -> new InvalidRequestException("limit", LIMIT.rule()));
    }

    /** The gateway path of the next (older) page, or null on the last page. */
    static String nextLink(String conversationId, String nextCursor, int limit) {
        if (nextCursor == null) {
            return null;
        }
        // Encoded by component: the id's ':' stays as it is in the other links (ThreadItem's media href).
        return UriComponentsBuilder.fromPath("/api/v1/conversations/{id}/messages")
                .queryParam("before", "{before}").queryParam("limit", limit)
                .buildAndExpand(conversationId, nextCursor).encode().toUriString();
    }
}
