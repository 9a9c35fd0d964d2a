package com.answerline.session.thread;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.avro.ThreadReaction;
import com.answerline.schemas.thread.ThreadItem;

/**
 * The thread's rules: what a customer's message, a reaction, an outcome of a send and a delivery status make of a
 * thread message. Plain Java on the contract's record: the thread keeps and publishes each message's whole current
 * state as a {@link ThreadMessage}, so that is the value these rules compute. Every function answers empty when the
 * event changes nothing (a duplicate), so nothing is stored or published for it.
 *
 * <ul>
 *   <li>A customer's message is an entry {@code in:<messageId>} at its send time; a reaction is not an entry of its
 *       own but is added to the message it reacts to (an empty emoji is a removed reaction).</li>
 *   <li>Each send of a reply command (command + step) is one entry {@code out:<commandId>/<step>} at its first
 *       outcome's time, updated by the later outcomes of the same step: PENDING is replaced by anything, HELD by a
 *       final outcome, never the other way round. Fields an outcome leaves out (an EXPIRED hold has no template) keep
 *       what an earlier outcome said.</li>
 *   <li>An outcome with a provider message id that is SENT or HELD means the provider accepted the send: its
 *       delivery lifecycle starts (accepted at the outcome's time). An outcome with a provider error code shows the
 *       send as failed with it, but for a FAILOVER that could not be sent (DELIVERY_FAILED): its code is the failed
 *       reply's, shown on that reply.</li>
 * </ul>
 */
public final class ThreadEntries {

    private ThreadEntries() {
    }

    /** A reaction is added to the message it reacts to, never an entry of its own. */
    public static boolean isReaction(InboundMessage message) {
        return "reaction".equals(message.getType());
    }

    /** The provider message id a reaction is about, null when the webhook did not say. */
    public static String reactedMessageId(InboundMessage reaction) {
        return reaction.getDetails() == null ? null : reaction.getDetails().get("reacted_message_id");
    }

    /** The entry of a customer's message, at its send time. */
    public static ThreadMessage inbound(InboundMessage message, Instant now) {
        return ThreadMessage.newBuilder()
                .setTenantId(message.getTenantId())
                .setConversationId(message.getConversationId())
                .setEntryId(ThreadItem.inboundEntryId(message.getMessageId()))
                .setDirection(ThreadDirection.INBOUND)
                .setChannel(message.getChannel())
                .setAt(message.getSentAt())
                .setProviderMessageId(message.getMessageId())
                .setType(message.getType())
                .setText(message.getText())
                .setDetails(message.getDetails() == null ? new HashMap<>() : new HashMap<>(message.getDetails()))
                .setContextMessageId(message.getContextMessageId())
                .setReferral(message.getReferral())
                .setReactions(new ArrayList<>())
                .setUpdatedAt(now)
                .build();
    }

    /** {@code target} with the customer's reaction, in time order; empty when it already has it (a redelivery). */
    public static Optional<ThreadMessage> withReaction(ThreadMessage target, InboundMessage reaction, Instant now) {
        ThreadReaction added = new ThreadReaction(reaction.getText() == null ? "" : reaction.getText(),
                reaction.getSentAt());
        List<ThreadReaction> reactions = new ArrayList<>(target.getReactions());
        if (reactions.contains(added)) {
            return Optional.empty();
        }
        int at = reactions.size();
        while (at > 0 && reactions.get(at - 1).getAt().isAfter(added.getAt())) {
            at--;
        }
        reactions.add(at, added);
        return Optional.of(ThreadMessage.newBuilder(target).setReactions(reactions).setUpdatedAt(now).build());
    }

    /**
     * The send an outcome is about, created ({@code current} null) or updated; empty when the outcome adds nothing
     * (the same outcome again).
     */
    public static Optional<ThreadMessage> withOutcome(ThreadMessage current, DispatchOutcome outcome, Instant now) {
        ThreadMessage.Builder next = current == null ? created(outcome) : ThreadMessage.newBuilder(current);
        if (current == null || rank(outcome.getStatus()) >= rank(current.getOutcomeStatus())) {
            next.setOutcomeStatus(outcome.getStatus()).setOutcomeReason(outcome.getOutcomeReason());
        }
        if (outcome.getChannel() != null) {
            next.setChannel(outcome.getChannel());
        }
        if (outcome.getRenderedText() != null) {
            next.setText(outcome.getRenderedText());
        }
        if (outcome.getAgentId() != null) {
            next.setAgentId(outcome.getAgentId());
        }
        if (outcome.getTemplate() != null) {
            next.setTemplate(outcome.getTemplate());
        }
        if (outcome.getEstimatedCost() != null) {
            next.setEstimatedCost(outcome.getEstimatedCost());
        }
        next.setType(next.getTemplate() != null || next.getChannel() == Channel.WHATSAPP_TEMPLATE ? "template" : "text");
        DeliveryLifecycle delivery = next.getDelivery();
        if (accepted(outcome)) {
            next.setProviderMessageId(outcome.getProviderMessageId());
            delivery = DeliveryLifecycles.merge(delivery, DeliveryLifecycles.accepted(outcome.getOccurredAt()));
        }
        if (outcome.getErrorCode() != null && !(outcome.getStep() == SendStep.FAILOVER
                && outcome.getOutcomeReason() == OutcomeReason.DELIVERY_FAILED)) {
            delivery = DeliveryLifecycles.merge(delivery, DeliveryLifecycles.failed(outcome.getOccurredAt(),
                    outcome.getErrorCode(), outcome.getErrorTitle()));
        }
        next.setDelivery(delivery);
        return changed(current, next, now);
    }

    /**
     * True when the provider accepted the send the outcome is about: SENT, or HELD (the invitation went out), with the
     * provider's message id. Only then does the id name this send (a FAILOVER that could not be sent carries the
     * failed reply's id).
     */
    public static boolean accepted(DispatchOutcome outcome) {
        return outcome.getProviderMessageId() != null
                && (outcome.getStatus() == OutcomeStatus.SENT || outcome.getStatus() == OutcomeStatus.HELD);
    }

    /** {@code current} with more delivery facts; empty when they add nothing (a redelivered or older status). */
    public static Optional<ThreadMessage> withDelivery(ThreadMessage current, DeliveryLifecycle facts, Instant now) {
        DeliveryLifecycle merged = DeliveryLifecycles.merge(current.getDelivery(), facts);
        if (Objects.equals(merged, current.getDelivery())) {
            return Optional.empty();
        }
        return Optional.of(ThreadMessage.newBuilder(current).setDelivery(merged).setUpdatedAt(now).build());
    }

    /** The failed send {@code failed} linked to the entry that failed it over; empty when already linked. */
    public static Optional<ThreadMessage> withFailover(ThreadMessage failed, String failoverEntryId, Instant now) {
        if (failoverEntryId.equals(failed.getFailoverEntryId())) {
            return Optional.empty();
        }
        return Optional.of(ThreadMessage.newBuilder(failed).setFailoverEntryId(failoverEntryId).setUpdatedAt(now)
                .build());
    }

    /** The failover send {@code failover} linked to the send it replaced; itself when already linked. */
    public static ThreadMessage failoverOf(ThreadMessage failover, String failedEntryId, Instant now) {
        return failedEntryId.equals(failover.getFailoverOfEntryId()) ? failover
                : ThreadMessage.newBuilder(failover).setFailoverOfEntryId(failedEntryId).setUpdatedAt(now).build();
    }

    /** The entry id of the send an outcome is about. */
    public static String entryId(DispatchOutcome outcome) {
        return ThreadItem.outboundEntryId(outcome.getCommandId(), outcome.getStep().name());
    }

    /**
     * The steps a FAILOVER may have failed over, in the order to look for them: the command's REPLY, else its
     * HELD_ANSWER (a held answer's command has no REPLY step).
     */
    public static List<String> failedOverEntryIds(String commandId) {
        return List.of(ThreadItem.outboundEntryId(commandId, SendStep.REPLY.name()),
                ThreadItem.outboundEntryId(commandId, SendStep.HELD_ANSWER.name()));
    }

    private static ThreadMessage.Builder created(DispatchOutcome outcome) {
        return ThreadMessage.newBuilder()
                .setTenantId(outcome.getTenantId())
                .setConversationId(outcome.getConversationId())
                .setEntryId(entryId(outcome))
                .setDirection(ThreadDirection.OUTBOUND)
                .setAt(outcome.getOccurredAt())
                .setType("text")
                .setDetails(new HashMap<>())
                .setReactions(new ArrayList<>())
                .setCommandId(outcome.getCommandId())
                .setStep(outcome.getStep())
                .setUpdatedAt(outcome.getOccurredAt());
    }

    /** The built message when it differs from {@code current} in anything but {@code updatedAt}, stamped {@code now}. */
    private static Optional<ThreadMessage> changed(ThreadMessage current, ThreadMessage.Builder next, Instant now) {
        if (current != null) {
            ThreadMessage unstamped = next.setUpdatedAt(current.getUpdatedAt()).build();
            if (unstamped.equals(current)) {
                return Optional.empty();
            }
        }
        return Optional.of(next.setUpdatedAt(now).build());
    }

    /** PENDING, then HELD, then a final status: an outcome never replaces a later kind. */
    private static int rank(OutcomeStatus status) {
        if (status == null || status == OutcomeStatus.PENDING) {
            return 0;
        }
        return status == OutcomeStatus.HELD ? 1 : 2;
    }
}
