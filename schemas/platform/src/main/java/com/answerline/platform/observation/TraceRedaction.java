package com.answerline.platform.observation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a span may say about a customer: nothing. Applied to every span name and attribute value before it leaves the
 * process (issue 17), so a trace backend never holds the customer's number or BSUID, whichever instrumentation wrote
 * the value (the HTTP server and client observations put the request path, with its query, into {@code http.url}):
 *
 * <ul>
 *   <li>a conversation id {@code <phone_number_id>:<customer>} (also with the colon percent-encoded) becomes
 *       {@value #CONVERSATION}, the template the routes declare;</li>
 *   <li>a BSUID ({@code US.13491208655302741918}, {@code US.ENT.…}) becomes {@value #BSUID};</li>
 *   <li>an E.164 number with its {@code +} becomes {@value #NUMBER};</li>
 *   <li>in a URL, a path or a query value: the query and fragment are dropped (they carry numbers, ids and an agent's
 *       draft text), and a path segment of 7 to 15 digits becomes {@value #NUMBER};</li>
 *   <li>in an exception's message or stack trace (free text): any number of 7 to 15 digits becomes
 *       {@value #NUMBER}.</li>
 * </ul>
 *
 * <p>A template, not a hash: a phone number has so few possible values that its hash is as good as the number to
 * anyone who can compute hashes. Kept as they are: ids that are not personal (trace and command ids, topic names,
 * the business's phone_number_id outside a path) and host:port pairs ({@code 127.0.0.1:8082}, whose digits before the
 * colon are too short to be a phone_number_id).
 */
public final class TraceRedaction {

    public static final String CONVERSATION = "{conversationId}";
    public static final String BSUID = "{bsuid}";
    public static final String NUMBER = "{number}";

    /** A phone_number_id (6+ digits, not part of a dotted address or a longer word) and the customer's key. */
    private static final Pattern CONVERSATION_ID =
            Pattern.compile("(?<![\\w.])\\d{6,}(?::|%3[Aa])[^/?#&\\s;,\"'=]+");
    private static final Pattern BSUID_PATTERN =
            Pattern.compile("(?<![\\w.])[A-Z]{2}\\.(?:ENT\\.)?[A-Za-z0-9]*\\d[A-Za-z0-9]*");
    private static final Pattern E164 = Pattern.compile("(?<![\\w.])(?:\\+|%2[Bb])\\d{7,15}(?!\\d)");
    private static final Pattern BARE_NUMBER = Pattern.compile("(?<![\\w.])\\d{7,15}(?![\\w])");
    private static final Pattern NUMBER_SEGMENT = Pattern.compile("(?<=/)\\+?\\d{7,15}(?=[/\\s]|$)");
    private static final Pattern QUERY_OR_FRAGMENT = Pattern.compile("[?#].*$", Pattern.DOTALL);
    private static final Pattern QUERY_IN_NAME = Pattern.compile("[?#]\\S*");

    private TraceRedaction() {
    }

    /** A span name or a value of an attribute that is not a URL. */
    public static String redact(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        String redacted = CONVERSATION_ID.matcher(value).replaceAll(CONVERSATION);
        redacted = BSUID_PATTERN.matcher(redacted).replaceAll(BSUID);
        return E164.matcher(redacted).replaceAll(NUMBER);
    }

    /**
     * An attribute value: as {@link #redact(String)}; as a URL too when its key or its value says it is one; as free
     * text (a bare number of 7 to 15 digits templated too) when it is an exception's message or stack trace.
     */
    public static String redact(String key, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (key != null && key.startsWith("exception.")) {
            return BARE_NUMBER.matcher(redact(value)).replaceAll(NUMBER);
        }
        return isUrl(key, value) ? redactUrl(value) : redact(value);
    }

    /** A span name, which may hold a path ("http get /api/v1/..."): a number as a path segment templated too. */
    public static String redactName(String name) {
        if (name == null || name.isEmpty()) {
            return name;
        }
        return NUMBER_SEGMENT.matcher(redact(QUERY_IN_NAME.matcher(name).replaceAll(""))).replaceAll(NUMBER);
    }

    /** A URL or a path: without query and fragment, a number as a path segment templated. */
    public static String redactUrl(String url) {
        String path = QUERY_OR_FRAGMENT.matcher(url).replaceAll("");
        return NUMBER_SEGMENT.matcher(redact(path)).replaceAll(NUMBER);
    }

    private static boolean isUrl(String key, String value) {
        String name = key == null ? "" : key.toLowerCase(Locale.ROOT);
        boolean oneToken = value.chars().noneMatch(Character::isWhitespace);
        return name.contains("url") || name.contains("uri") || name.contains("path") || name.contains("query")
                || name.contains("target") || oneToken && (value.startsWith("/") || value.contains("://"));
    }
}
