package com.answerline.dispatch.decision;

import java.time.Duration;
import java.time.Instant;

/**
 * WhatsApp's 72-hour free entry point (DOMAIN.md section 1): a customer who arrives from a click-to-WhatsApp ad or
 * a Facebook call-to-action and gets an answer within 24 h opens a 72-hour window in which WhatsApp charges
 * nothing. A price attribute only: the 24-hour window still decides what may be sent free-form.
 *
 * <p>The reading, from what the session knows: session-service marks a window opened by a referral message
 * ({@code freeEntryPoint}, {@code windowOpenedAt} = that message's send time) and the first customer message not yet
 * answered ({@code unansweredSince}). The 72 hours count from the business's answer that opened them; the session
 * does not keep that answer's time, so they are counted from the referral message, the earliest the answer can
 * be: the estimate may end the free period up to 24 h early (charge a message WhatsApp does not), never late. A
 * message sent within 24 h of the referral is such an answer (or follows one), so it is free; a later one is free
 * only when the referral was answered (the session's unanswered stretch began after it, or there is none), taken
 * as answered in time. A window re-opened later by a message without a referral loses the mark (session-service
 * sets it per window): such messages are priced as regular, again never cheaper than WhatsApp.
 */
public final class FreeEntryPoint {

    /** The business's answer must come this soon after the referral message to open the free entry point. */
    public static final Duration ANSWER_WITHIN = Duration.ofHours(24);
    /** How long the free entry point lasts. */
    public static final Duration LENGTH = Duration.ofHours(72);

    private FreeEntryPoint() {
    }

    /**
     * @param session the conversation's session, null when unknown
     * @param at      when the message is sent
     * @return the end of the free entry point a message sent at {@code at} falls into, or null when it falls into none
     */
    public static Instant until(SessionSnapshot session, Instant at) {
        if (session == null || !session.freeEntryPoint() || session.windowOpenedAt() == null) {
            return null;
        }
        Instant referral = session.windowOpenedAt();
        boolean answered = session.unansweredSince() == null || session.unansweredSince().isAfter(referral);
        if (!answered && !at.isBefore(referral.plus(ANSWER_WITHIN))) {
            return null;
        }
        Instant end = referral.plus(LENGTH);
        return at.isBefore(end) ? end : null;
    }
}
