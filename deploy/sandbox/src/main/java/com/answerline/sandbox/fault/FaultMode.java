package com.answerline.sandbox.fault;

/** What the next provider call does. */
public enum FaultMode {
    /** Behave normally. */
    OK,
    /** Answer HTTP 500 (Cloud API code 131000 / Twilio 20500); nothing is sent. */
    HTTP_500,
    /** Answer HTTP 429 (Cloud API code 130429 / Twilio 20429); nothing is sent. */
    HTTP_429,
    /** Hold the request for sandbox.faults.timeout-delay, then answer 504; nothing is sent. */
    TIMEOUT,
    /**
     * The message is sent (it reaches the phone, its statuses follow), but the answer is held for
     * sandbox.faults.timeout-delay: the caller's read timeout fires although the provider took the message. What a
     * retry after a lost answer does to a customer shows on the phone.
     */
    LATE_ANSWER,
    /** Accept the message, then report it failed (WhatsApp 131026 / SMS undelivered 30003). */
    UNDELIVERABLE,
    /**
     * WhatsApp only: accept a free-form message (wamid, 200), then report it failed with 131047, as WhatsApp does
     * when the window turns out to be closed after the send was accepted: the asynchronous failover's trigger.
     * Templates are allowed outside the window and are delivered normally in this mode.
     */
    WINDOW_CLOSED_LATE,
    /**
     * WhatsApp only: the next Direct Send finds the business's access blocked, as when Meta takes it away: it is
     * refused with 139200 and the number's Direct Send status becomes BLOCKED (later Direct Sends get 139200 too, until
     * the settings enable it again or a reset). Other messages are sent normally but still use up one {@code count}.
     */
    DIRECT_SEND_BLOCKED;

    /**
     * Whether the mode exists for the provider: WINDOW_CLOSED_LATE and DIRECT_SEND_BLOCKED for WhatsApp's sends only; media retrieval sends
     * nothing, so only the error answers (HTTP_500, HTTP_429, TIMEOUT) apply to it; the rest apply to every provider.
     */
    public boolean appliesTo(Provider provider) {
        return switch (this) {
            case WINDOW_CLOSED_LATE, DIRECT_SEND_BLOCKED -> provider == Provider.WHATSAPP;
            case LATE_ANSWER, UNDELIVERABLE -> provider != Provider.MEDIA;
            default -> true;
        };
    }
}
