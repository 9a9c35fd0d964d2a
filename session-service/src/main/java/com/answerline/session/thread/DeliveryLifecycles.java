package com.answerline.session.thread;

import java.time.Instant;

import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.ProviderError;

/**
 * A send's delivery lifecycle as the provider reported it: accepted (the SENT outcome) -> sent -> delivered -> read,
 * or failed with the provider's code and title. Statuses arrive late, twice and out of order (DOMAIN 2), so the
 * lifecycle is a merge of facts that never goes backwards:
 *
 * <ul>
 *   <li>the state is the furthest one reported: {@code QUEUED} (accepted, nothing reported yet) &lt; {@code SENT}
 *       &lt; {@code DELIVERED} &lt; {@code READ} &lt; {@code FAILED}. A late "sent" does not undo "delivered", "read"
 *       after "delivered" stays read, and a failure after "delivered" shows the message as failed (a failure is
 *       final: WhatsApp reports 131047 after a delivered only when the message never reached the customer);</li>
 *   <li>each time is the earliest reported for its step (a redelivered status carries the same time), so merging the
 *       same facts again changes nothing;</li>
 *   <li>Twilio's {@code undelivered} is a failure like {@code failed}; {@code UNKNOWN} says nothing.</li>
 * </ul>
 *
 * <p>Plain Java; the same merge folds a status into its send and the statuses that arrived before their send.
 */
public final class DeliveryLifecycles {

    private DeliveryLifecycles() {
    }

    /** The provider accepted the send at {@code at} (its SENT or HELD outcome with a provider message id). */
    public static DeliveryLifecycle accepted(Instant at) {
        return DeliveryLifecycle.newBuilder().setState(DeliveryState.QUEUED).setAcceptedAt(at).build();
    }

    /** The provider refused the send, or reported it failed, with a code and title when it gave them. */
    public static DeliveryLifecycle failed(Instant at, Integer errorCode, String errorTitle) {
        return DeliveryLifecycle.newBuilder().setState(DeliveryState.FAILED).setFailedAt(at).setErrorCode(errorCode)
                .setErrorTitle(errorTitle).build();
    }

    /** What one status says, or null when it says nothing ({@code UNKNOWN}). */
    public static DeliveryLifecycle of(DeliveryStatus status) {
        Instant at = status.getOccurredAt();
        DeliveryLifecycle.Builder fact = DeliveryLifecycle.newBuilder().setState(state(status.getStatus()));
        switch (status.getStatus()) {
            case SENT -> fact.setSentAt(at);
            case DELIVERED -> fact.setDeliveredAt(at);
            case READ -> fact.setReadAt(at);
            case FAILED, UNDELIVERED -> {
                ProviderError error = status.getErrors().isEmpty() ? null : status.getErrors().get(0);
                return failed(at, error == null ? null : error.getCode(), error == null ? null : error.getTitle());
            }
            case QUEUED -> {
                // Accepted by the provider; the acceptance time is the outcome's.
            }
            default -> {
                return null;
            }
        }
        return fact.build();
    }

    /** Both lifecycles' facts together (either may be null); equal to {@code current} when {@code facts} adds nothing. */
    public static DeliveryLifecycle merge(DeliveryLifecycle current, DeliveryLifecycle facts) {
        if (facts == null) {
            return current;
        }
        if (current == null) {
            return facts;
        }
        boolean currentFailed = current.getErrorCode() != null || current.getErrorTitle() != null;
        DeliveryLifecycle error = currentFailed ? current : facts;
        return DeliveryLifecycle.newBuilder()
                .setState(rank(facts.getState()) > rank(current.getState()) ? facts.getState() : current.getState())
                .setAcceptedAt(earliest(current.getAcceptedAt(), facts.getAcceptedAt()))
                .setSentAt(earliest(current.getSentAt(), facts.getSentAt()))
                .setDeliveredAt(earliest(current.getDeliveredAt(), facts.getDeliveredAt()))
                .setReadAt(earliest(current.getReadAt(), facts.getReadAt()))
                .setFailedAt(earliest(current.getFailedAt(), facts.getFailedAt()))
                .setErrorCode(error.getErrorCode())
                .setErrorTitle(error.getErrorTitle())
                .build();
    }

    private static DeliveryState state(DeliveryState reported) {
        return reported == DeliveryState.UNDELIVERED ? DeliveryState.FAILED : reported;
    }

    private static int rank(DeliveryState state) {
        return switch (state) {
            case QUEUED -> 0;
            case SENT -> 1;
            case DELIVERED -> 2;
            case READ -> 3;
            case FAILED, UNDELIVERED -> 4;
            case UNKNOWN -> -1;
        };
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || !b.isBefore(a) ? a : b;
    }
}
