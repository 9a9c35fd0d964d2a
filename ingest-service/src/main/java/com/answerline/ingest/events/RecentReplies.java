package com.answerline.ingest.events;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.SendStep;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.gateway.ReplyOutcomeView;
import com.answerline.ingest.topology.ReplyOutcomeTopology;

/**
 * The live feed's memory of recent reply commands: each one's latest outcome and the latest delivery of each of its
 * sends, as the feed read them, kept by the same rules as the reply-outcome stores ({@link ReplyOutcomeTopology}). It
 * lets a {@code reply-outcome} event carry the delivery known so far, and a delivery reported after the outcome
 * (sent, delivered, read, a later failure) send the reply's outcome again with it. Outcomes and deliveries arrive on
 * two topics, in either order.
 *
 * <p>This instance's memory only, bounded (the least recently touched commands are forgotten past
 * {@code capacity}), and filled only while streams are open (the feed does not decode for nobody): a delivery of a
 * command whose outcome the feed has not seen makes no {@code reply-outcome} event (its {@code message} event
 * carries it). Used by the feed's single thread only.
 */
final class RecentReplies {

    private final Map<String, Reply> replies;

    RecentReplies(int capacity) {
        this.replies = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Reply> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers {@code outcome}; its view, with the deliveries of the command's sends known so far. */
    ReplyOutcomeView outcome(DispatchOutcome outcome) {
        Reply reply = replies.computeIfAbsent(outcome.getCommandId(), commandId -> new Reply());
        reply.outcome = reply.outcome == null ? outcome : ReplyOutcomeTopology.latest(reply.outcome, outcome);
        return ReplyOutcomeView.of(outcome, reply.sends());
    }

    /**
     * Remembers the delivery of a send ({@link ReplyOutcomeTopology#isSendWithDelivery}; other messages are ignored).
     *
     * @return the command's latest outcome with the new delivery, when the outcome is known and the delivery is new
     */
    Optional<ReplyOutcomeView> send(ThreadMessage send) {
        if (!ReplyOutcomeTopology.isSendWithDelivery(send)) {
            return Optional.empty();
        }
        Reply reply = replies.computeIfAbsent(send.getCommandId(), commandId -> new Reply());
        ThreadMessage current = reply.sends.get(send.getStep());
        if (current != null && ReplyOutcomeTopology.latest(current, send) == current) {
            return Optional.empty();
        }
        reply.sends.put(send.getStep(), ReplyOutcomeTopology.withoutContent(send));
        if (reply.outcome == null || !reply.outcome.getTenantId().equals(send.getTenantId())) {
            return Optional.empty();
        }
        return Optional.of(ReplyOutcomeView.of(reply.outcome, reply.sends()));
    }

    private static final class Reply {

        private DispatchOutcome outcome;
        private final Map<SendStep, ThreadMessage> sends = new EnumMap<>(SendStep.class);

        List<ThreadMessage> sends() {
            return List.copyOf(sends.values());
        }
    }
}
