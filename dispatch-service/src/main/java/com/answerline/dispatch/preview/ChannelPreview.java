package com.answerline.dispatch.preview;

import java.time.Instant;
import java.util.List;

/**
 * 200 body of the channel preview: what dispatch would do with a text reply right now (the chosen option), and
 * every option the agent has.
 *
 * @param channel        WHATSAPP, WHATSAPP_DIRECT_SEND, WHATSAPP_TEMPLATE or SMS (the channel names of dispatch
 *                       outcomes), NONE when the reply would be rejected
 * @param reason         the reason dispatch would put on the outcome (WINDOW_OPEN, WINDOW_CLOSED_SMS_FALLBACK, ...)
 * @param outcome        SEND, HOLD (TEMPLATE_THEN_HOLD: the invitation template is sent now on {@code channel}, the
 *                       text is kept until the customer writes back) or REJECT
 * @param waitsFor       CONVERSATION_SESSION when dispatch would first wait its grace period for a session it has
 *                       not read yet (the decision shown is the one it takes if none arrives); null otherwise
 * @param timeLeftMillis window time left (negative once expired); null when no window was ever open
 * @param fallbackChain  the steps dispatch would take, in order (e.g. "AUTO->SMS", "SMS")
 * @param alternatives   what would work instead when the outcome is REJECT
 * @param options        every way to answer now, allowed or not (and why not), each with its estimated cost
 *                       ({@link ReplyOption}); empty for a tenant this service does not know
 */
public record ChannelPreview(String channel, String reason, Outcome outcome, String waitsFor, boolean windowOpen,
                             String windowState, Instant windowExpiresAt, Long timeLeftMillis, String policy,
                             Long sessionVersion, List<String> fallbackChain, List<String> alternatives,
                             List<ReplyOption> options) {

    /** What becomes of the reply. */
    public enum Outcome {
        SEND, HOLD, REJECT
    }
}
