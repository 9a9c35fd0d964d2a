package com.answerline.session.thread;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The keys of the thread's stores, as strings whose UTF-8 byte order (RocksDB's) is the order a read needs.
 *
 * <ul>
 *   <li>A message: {@code <conversationId> NUL <sort key>}, sort key = the message's time in epoch millis
 *       zero-padded to 19 digits, then its entry id. One conversation's messages are one contiguous range in time
 *       order ({@link #conversationStart} to {@link #conversationEnd}); newest first is that range reversed. NUL sorts
 *       before every character of a conversation id, so no other conversation's keys fall inside the range.</li>
 *   <li>The index: {@code <conversationId> NUL p NUL <provider message id>} and {@code <conversationId> NUL e NUL
 *       <entry id>}, both pointing at a message key.</li>
 *   <li>An unmatched delivery status: {@code <conversationId> NUL <provider message id>}.</li>
 * </ul>
 *
 * <p>The page cursor is the last item's sort key, base64url without padding: opaque to clients, and a cursor of the
 * wrong shape is refused rather than guessed at.
 */
public final class ThreadKeys {

    static final char SEPARATOR = '\u0000';
    private static final char AFTER_SEPARATOR = '\u0001';
    private static final int MILLIS_DIGITS = 19;
    /** Sort keys this service writes: 19 digits, then an entry id (ids are at most 1,024 characters upstream). */
    private static final Pattern SORT_KEY = Pattern.compile("\\d{19}(in|out):[^\\u0000]{1,1100}");
    /** The longest cursor accepted: a sort key of the pattern above in ASCII, base64url, with room to spare. */
    public static final int MAX_CURSOR_LENGTH = 2048;

    private ThreadKeys() {
    }

    /** The key of a message of {@code conversationId} at {@code atMillis} (times before 1970 sort as 1970). */
    public static String message(String conversationId, long atMillis, String entryId) {
        return conversationStart(conversationId) + sortKey(atMillis, entryId);
    }

    /** Where a message sits in its conversation: time, then entry id. */
    public static String sortKey(long atMillis, String entryId) {
        String digits = Long.toString(Math.max(0, atMillis));
        StringBuilder key = new StringBuilder(MILLIS_DIGITS + entryId.length());
        for (int i = digits.length(); i < MILLIS_DIGITS; i++) {
            key.append('0');
        }
        key.append(digits).append(entryId);
        return key.toString();
    }

    /** The lowest key of a conversation's messages (inclusive bound of a range). */
    public static String conversationStart(String conversationId) {
        return conversationId + SEPARATOR;
    }

    /** Above every key of a conversation's messages (an inclusive bound no message key equals). */
    public static String conversationEnd(String conversationId) {
        return conversationId + AFTER_SEPARATOR;
    }

    /** The conversation of a message key. */
    public static String conversationOf(String messageKey) {
        return messageKey.substring(0, messageKey.indexOf(SEPARATOR));
    }

    /** The sort key of a message key (what a cursor carries). */
    public static String sortKeyOf(String messageKey) {
        return messageKey.substring(messageKey.indexOf(SEPARATOR) + 1);
    }

    /** The time of a message key, in epoch millis. */
    public static long millisOf(String messageKey) {
        int start = messageKey.indexOf(SEPARATOR) + 1;
        return Long.parseLong(messageKey, start, start + MILLIS_DIGITS, 10);
    }

    /** Index key: a provider message id (wamid, MessageSid) of a conversation. */
    public static String byProviderMessageId(String conversationId, String providerMessageId) {
        return conversationStart(conversationId) + 'p' + SEPARATOR + providerMessageId;
    }

    /** Index key: an entry id of a conversation. */
    public static String byEntryId(String conversationId, String entryId) {
        return conversationStart(conversationId) + 'e' + SEPARATOR + entryId;
    }

    /** Key of the delivery statuses of a provider message id not matched to a send yet. */
    public static String unmatchedStatus(String conversationId, String providerMessageId) {
        return conversationStart(conversationId) + providerMessageId;
    }

    /** The opaque cursor of a sort key. */
    public static String cursor(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The sort key a cursor of {@link #cursor} carries.
     *
     * @throws IllegalArgumentException when it is not such a cursor (the message says why, without echoing it)
     */
    public static String sortKeyOfCursor(String cursor) {
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            throw new IllegalArgumentException("is not a cursor this API handed out (too long)");
        }
        String sortKey;
        try {
            sortKey = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64url");
        }
        if (!SORT_KEY.matcher(sortKey).matches()) {
            throw new IllegalArgumentException("is not a cursor this API handed out");
        }
        return sortKey;
    }
}
