package com.answerline.session.window;

import java.time.Instant;
import java.util.Objects;

/**
 * The conversation's latest outbound message, as dispatch reported it and the provider's statuses refined it.
 *
 * @param commandId         the reply command it answers; null for a state migrated from before this record
 * @param channel           null when nothing went out (e.g. REJECTED)
 * @param status            where it stands ({@link OutboundStatus})
 * @param errorCode         the provider's error code of a failure, e.g. 131047; null otherwise
 * @param providerMessageId the wamid or SMS MessageSid of a sent message: delivery statuses are matched to it
 * @param at                when dispatch reported the outcome
 * @param answeredSince     the start of the unanswered stretch this reply cleared, null when it cleared none: a
 *                          later failure re-opens that stretch
 */
public record LastOutbound(String commandId, Channel channel, OutboundStatus status, Integer errorCode,
                           String providerMessageId, Instant at, Instant answeredSince) {

    public LastOutbound {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }

    /** The same message with the provider's newer status. */
    public LastOutbound withStatus(OutboundStatus value, Integer code) {
        return new LastOutbound(commandId, channel, value, code, providerMessageId, at, answeredSince);
    }

    /** True when a delivery status with this provider id is about this message. */
    public boolean isMessage(String providerId) {
        return providerMessageId != null && providerMessageId.equals(providerId);
    }
}
