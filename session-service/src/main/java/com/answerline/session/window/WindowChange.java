package com.answerline.session.window;

import java.time.Instant;
import java.util.Objects;

/**
 * A change in a conversation's customer-service window, as the rules see it (published as the Avro
 * {@code WindowEvent}).
 *
 * @param answered on {@link Type#CLOSED} only: whether the customer's last message had been answered
 * @param at       when it was decided: the fold's processing time for OPENED, the timer's wall-clock time for
 *                 EXPIRING and CLOSED
 */
public record WindowChange(Type type, String tenantId, String conversationId, Instant windowOpenedAt,
                           Instant windowExpiresAt, Boolean answered, Instant at) {

    public enum Type { OPENED, EXPIRING, CLOSED }

    public WindowChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(windowExpiresAt, "windowExpiresAt");
        Objects.requireNonNull(at, "at");
    }
}
