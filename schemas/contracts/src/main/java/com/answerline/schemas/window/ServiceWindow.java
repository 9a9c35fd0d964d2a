package com.answerline.schemas.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import com.answerline.avro.WindowState;

/**
 * WhatsApp's customer-service window at one moment: the one computation of "is the window open" for every service
 * (session's API, dispatch's decision, the gateway's live events), so they never disagree.
 *
 * <ul>
 *   <li>The window runs {@link #LENGTH} from the customer's latest WhatsApp send time ({@link #expiresAt}); free-form
 *       messages are allowed strictly before the end: at the end exactly WhatsApp already answers 131047.</li>
 *   <li>{@link WindowState#OPEN}: more than the safety margin left. {@link WindowState#CLOSING}: still open for
 *       WhatsApp, but within the margin, so a free-form message might arrive after the end: dispatch treats it as
 *       closed. {@link WindowState#CLOSED}: the end has passed. {@link WindowState#NEVER_OPENED}: no customer
 *       WhatsApp message is known.</li>
 * </ul>
 *
 * @param state     the window's state at the moment it was computed
 * @param expiresAt null when it never opened
 * @param timeLeft  time to the end, negative once closed; null when it never opened
 */
public record ServiceWindow(WindowState state, Instant expiresAt, Duration timeLeft) {

    /** The customer-service window opened (and renewed) by each customer WhatsApp message. */
    public static final Duration LENGTH = Duration.ofHours(24);

    public ServiceWindow {
        Objects.requireNonNull(state, "state");
    }

    /** When a window renewed by a customer message sent at {@code sentAt} ends. */
    public static Instant expiresAt(Instant sentAt) {
        return sentAt.plus(LENGTH);
    }

    /**
     * The window that ends at {@code expiresAt}, as it stands at {@code now}.
     *
     * @param expiresAt    null when no customer message ever opened one
     * @param safetyMargin this much time left, or less, is {@link WindowState#CLOSING}; zero for WhatsApp's own rule
     */
    public static ServiceWindow at(Instant expiresAt, Instant now, Duration safetyMargin) {
        Objects.requireNonNull(now, "now");
        if (safetyMargin.isNegative()) {
            throw new IllegalArgumentException("safety margin must not be negative: " + safetyMargin);
        }
        if (expiresAt == null) {
            return new ServiceWindow(WindowState.NEVER_OPENED, null, null);
        }
        Duration timeLeft = Duration.between(now, expiresAt);
        WindowState state;
        if (timeLeft.compareTo(safetyMargin) > 0) {
            state = WindowState.OPEN;
        } else if (!timeLeft.isNegative() && !timeLeft.isZero()) {
            state = WindowState.CLOSING;
        } else {
            state = WindowState.CLOSED;
        }
        return new ServiceWindow(state, expiresAt, timeLeft);
    }

    /** WhatsApp's rule: free-form messages are accepted now (OPEN or CLOSING). */
    public boolean open() {
        return state == WindowState.OPEN || state == WindowState.CLOSING;
    }

    /** Our rule: a free-form reply decided now goes out on WhatsApp (OPEN only; CLOSING counts as closed). */
    public boolean freeFormAllowed() {
        return state == WindowState.OPEN;
    }

    /** Whole seconds left, 0 once closed; null when it never opened. */
    public Long secondsLeft() {
        return timeLeft == null ? null : Math.max(0, timeLeft.toSeconds());
    }
}
