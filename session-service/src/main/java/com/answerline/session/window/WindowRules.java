package com.answerline.session.window;

import java.time.Duration;
import java.time.Instant;

/** WhatsApp's customer-service window as arithmetic: 24 hours from the customer's latest send time. */
public final class WindowRules {

    /** The customer-service window opened (and renewed) by each customer message. */
    public static final Duration WINDOW = Duration.ofHours(24);

    private WindowRules() {
    }

    /** When a window renewed by a message sent at {@code sentAt} ends. */
    public static Instant expiresAt(Instant sentAt) {
        return sentAt.plus(WINDOW);
    }

    /**
     * Free-form messages are allowed strictly before the end: at {@code sentAt + 24h} exactly the window
     * is closed (WhatsApp answers 131047 from then on). No expiry known means no window.
     */
    public static boolean isOpen(Instant windowExpiresAt, Instant now) {
        return windowExpiresAt != null && now.isBefore(windowExpiresAt);
    }

    /** Only the customer's own WhatsApp message opens or renews the window; SMS and our messages never do. */
    public static boolean renewsWindow(Channel inboundChannel) {
        return inboundChannel == Channel.WHATSAPP;
    }

    static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }

    static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isBefore(b) ? a : b;
    }
}
