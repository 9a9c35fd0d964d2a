package com.answerline.session.query;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where a session sits in the list order: the window's end ascending (the most urgent first), sessions without a
 * window (never opened, e.g. SMS only) last, then the conversation id. The conversation id is unique, so the order
 * is total and a key names one position exactly: that is what keyset paging needs ("strictly after this key").
 *
 * <p>The cursor is this key, base64url without padding, so clients treat it as opaque and cannot build one that
 * skips the order. Inside: {@code 1|<ISO instant or empty>|<conversation id>}; the version lets the format change
 * while old cursors are still around. The conversation id comes last, so a {@code |} inside it cannot confuse
 * the split.
 *
 * @param windowExpiresAt the window's end, null when the conversation never had a WhatsApp window
 * @param conversationId  never null
 */
public record SessionSortKey(Instant windowExpiresAt, String conversationId) implements Comparable<SessionSortKey> {

    /** The list order. */
    public static final Comparator<SessionSortKey> ORDER = Comparator
            .comparing(SessionSortKey::windowExpiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(SessionSortKey::conversationId);

    private static final String VERSION = "1";
    private static final char SEPARATOR = '|';

    public SessionSortKey {
        Objects.requireNonNull(conversationId, "conversationId");
    }

    /** The key of a session as the API shows it. */
    public static SessionSortKey of(SessionView view) {
        return new SessionSortKey(view.windowExpiresAt(), view.conversationId());
    }

    @Override
    public int compareTo(SessionSortKey other) {
        return ORDER.compare(this, other);
    }

    /** The opaque cursor naming this position. */
    public String toCursor() {
        String plain = VERSION + SEPARATOR + (windowExpiresAt == null ? "" : windowExpiresAt.toString()) + SEPARATOR
                + conversationId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor made by {@link #toCursor()}.
     *
     * @throws IllegalArgumentException when it is not one (the message says why, never echoing the whole value)
     */
    public static SessionSortKey fromCursor(String cursor) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not base64url");
        }
        int first = plain.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : plain.indexOf(SEPARATOR, first + 1);
        if (second < 0 || !VERSION.equals(plain.substring(0, first))) {
            throw new IllegalArgumentException("cursor is not one this API issued");
        }
        String expires = plain.substring(first + 1, second);
        String conversationId = plain.substring(second + 1);
        if (conversationId.isBlank()) {
            throw new IllegalArgumentException("cursor names no conversation");
        }
        try {
            return new SessionSortKey(expires.isEmpty() ? null : Instant.parse(expires), conversationId);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("cursor carries no valid instant");
        }
    }
}
