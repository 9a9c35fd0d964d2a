package com.answerline.schemas.send;

import java.util.Objects;
import java.util.Optional;

import com.answerline.avro.SendStep;
import com.answerline.schemas.conversation.ConversationId;

/**
 * The name of one provider send, given to the provider with the send and echoed back in every status of that
 * message, so a status finds its send (and its conversation's partition) without the wamid or the recipient: the
 * send whose HTTP answer was lost has no wamid, and a customer addressed by BSUID may be reported by phone, or the
 * reverse. dispatch writes it on every send, ingest reads it back onto {@code DeliveryStatus} (its conversation id,
 * command id and step).
 *
 * <p>Format, version 1: {@code al1|<conversationId>|<commandId>|<STEP>}, e.g.
 * {@code al1|100000000000001:15551230001|3f0c...|REPLY}, at most {@value #MAX_LENGTH} characters (WhatsApp's limit
 * of {@code biz_opaque_callback_data}). In the two ids, {@code %} is written {@code %25} and {@code |} is written
 * {@code %7C}. It carries only our own identifiers: the conversation id's customer part is the recipient the provider
 * already addresses, never a name or any text. Where it travels: WhatsApp's {@code biz_opaque_callback_data} (echoed
 * in {@code statuses[]}), and the {@value #QUERY_PARAMETER} query parameter of the Twilio {@code StatusCallback} URL
 * (Twilio posts to that URL as given, and signs it whole).
 *
 * <p>Reading never fails: {@link #parse} answers empty for anything else (another system's callback data on the same
 * WhatsApp account, a later version, a truncated or edited value), and the status is then matched as before.
 */
public record SendReference(ConversationId conversationId, String commandId, SendStep step) {

    /** WhatsApp's limit of {@code biz_opaque_callback_data}. */
    public static final int MAX_LENGTH = 512;
    /** The query parameter of the Twilio StatusCallback URL that carries the reference. */
    public static final String QUERY_PARAMETER = "ref";

    static final String VERSION = "al1";
    private static final char SEPARATOR = '|';

    public SendReference {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(step, "step");
        if (commandId == null || commandId.isBlank()) {
            throw new IllegalArgumentException("commandId must not be blank");
        }
    }

    /**
     * The reference of a send, or empty when it cannot be written: an invalid conversation id, or ids too long for
     * {@value #MAX_LENGTH} characters (then the send goes without one, and its statuses match by provider message id).
     */
    public static Optional<SendReference> of(String conversationId, String commandId, SendStep step) {
        try {
            SendReference reference = new SendReference(ConversationId.parse(conversationId), commandId, step);
            return reference.encode().length() <= MAX_LENGTH ? Optional.of(reference) : Optional.empty();
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** The version-1 text (see the class comment). */
    public String encode() {
        return VERSION + SEPARATOR + escape(conversationId.toString()) + SEPARATOR + escape(commandId) + SEPARATOR
                + step.name();
    }

    /** The reference a provider echoed; empty for null, foreign, malformed or unknown-version text. Never throws. */
    public static Optional<SendReference> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = text.split("\\|", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SendReference(ConversationId.parse(unescape(parts[1])), unescape(parts[2]),
                    SendStep.valueOf(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String escape(String value) {
        return value.replace("%", "%25").replace("|", "%7C");
    }

    /** The inverse of {@link #escape}; any other {@code %} sequence is malformed. */
    private static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
            } else if (value.startsWith("%25", i)) {
                out.append('%');
                i += 2;
            } else if (value.startsWith("%7C", i)) {
                out.append('|');
                i += 2;
            } else {
                throw new IllegalArgumentException("malformed escape");
            }
        }
        return out.toString();
    }
}
