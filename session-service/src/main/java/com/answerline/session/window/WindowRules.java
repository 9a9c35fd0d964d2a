package com.answerline.session.window;

import java.time.Duration;
import java.time.Instant;

import com.answerline.schemas.window.ServiceWindow;

/**
 * WhatsApp's customer-service window as the fold needs it: 24 hours from the customer's latest send time. The window
 * itself (length, open or not at a moment) is the contracts' {@link ServiceWindow}, the one computation all services
 * share; this adds what only the fold decides (which messages renew it).
 */
public final class WindowRules {

    /** The customer-service window opened (and renewed) by each customer message. */
    public static final Duration WINDOW = ServiceWindow.LENGTH;

    private WindowRules() {
    }

    /** When a window renewed by a message sent at {@code sentAt} ends. */
    public static Instant expiresAt(Instant sentAt) {
        return ServiceWindow.expiresAt(sentAt);
    }

    /**
     * Free-form messages are allowed strictly before the end: at {@code sentAt + 24h} exactly the window
     * is closed (WhatsApp answers 131047 from then on). No expiry known means no window.
     */
    public static boolean isOpen(Instant windowExpiresAt, Instant now) {
        return ServiceWindow.at(windowExpiresAt, now, Duration.ZERO).open();
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
