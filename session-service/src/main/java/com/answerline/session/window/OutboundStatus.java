package com.answerline.session.window;

/**
 * Where the conversation's last outbound message stands: dispatch's outcome, refined by the provider's delivery
 * statuses. A status only ever moves it up the {@link #rank}: SENT &lt; DELIVERED &lt; READ &lt; FAILED.
 */
public enum OutboundStatus {
    /** A status this version does not know (a newer writer's symbol). */
    UNKNOWN,
    PENDING,
    SENT,
    DELIVERED,
    READ,
    FAILED,
    REJECTED,
    HELD,
    EXPIRED,
    CANCELLED;

    /**
     * The provider's state of a message we sent (WhatsApp {@code statuses[].status}, Twilio's status callback), or
     * null for states that say nothing new (queued, unknown). Twilio's {@code undelivered} is a failure.
     */
    public static OutboundStatus ofDelivery(String providerState) {
        return switch (providerState) {
            case "SENT" -> SENT;
            case "DELIVERED" -> DELIVERED;
            case "READ" -> READ;
            case "FAILED", "UNDELIVERED" -> FAILED;
            default -> null;
        };
    }

    /** Order of the delivery lifecycle; dispatch's other outcomes rank 0. */
    public int rank() {
        return switch (this) {
            case SENT -> 1;
            case DELIVERED -> 2;
            case READ -> 3;
            case FAILED -> 4;
            default -> 0;
        };
    }

    /** The provider accepted the message, or the customer got it: the customer is answered. */
    public boolean answers() {
        return this == SENT || this == DELIVERED || this == READ;
    }
}
