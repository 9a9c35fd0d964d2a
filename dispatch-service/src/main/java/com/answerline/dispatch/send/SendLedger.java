package com.answerline.dispatch.send;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ParkedSend;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendState;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.wire.WireMapping;
import com.answerline.schemas.outcome.OutcomeReasons;

/**
 * The send ledger: for every command id, the state of its one provider send, written durably before the
 * send-requests offset is committed. One {@link SendLedgerEntry} per send, in one of three states ({@link SendState}):
 * <ul>
 *   <li><b>SENDING</b> - appended (and acknowledged by the log) <em>before</em> the provider is called;</li>
 *   <li><b>DONE</b> - with the outcome itself (SENT with the provider's message id, FAILED, REJECTED, or an
 *       invitation's HELD), appended <em>before</em> the outcome is published and the offset committed.</li>
 *   <li><b>PARKED</b> - the provider was unavailable (or an earlier send of the conversation is parked): the
 *       request, attempts and schedule ({@link ParkedSend}) and the PENDING outcome, appended before that outcome is
 *       published; retried by {@link ParkedSends}, which logs SENDING before each retry like a first send, so a crash
 *       mid-retry is the usual gap below, never a second message. A conversation's parked sends form a queue
 *       ({@link ParkedQueues}) its later sends join.</li>
 * </ul>
 * A command found done is never sent again (its outcome is republished). A command found SENDING is the gap:
 * the process died after the provider may have accepted the message and before the result was logged. Neither
 * WhatsApp Cloud API nor Twilio accepts an idempotency key, so a resend could message the customer twice;
 * the ledger keeps it in doubt instead ({@link #awaitEvidence}: PENDING SEND_STATE_UNKNOWN, never resent) until a
 * delivery status naming the send settles it or its deadline passes (FAILED SEND_STATE_UNKNOWN, final), see
 * {@link SendReconciler} and {@link UnknownSendDeadline}. The gap is the time between the provider's HTTP answer and the log's
 * acknowledgement of the result: one synchronous produce with {@code acks=all}, milliseconds.
 *
 * <p>Why Kafka and not a database: the service already depends on nothing else, and the ledger is a
 * compacted log keyed by command id whose partition number is the send request's partition. Only the owner of a
 * send-requests partition writes the ledger partition of the same number, so after a (re)assignment reading that
 * one partition to its end restores everything earlier owners logged - the changelog pattern of Kafka Streams,
 * kept small because the sender blocks on HTTP and is a plain listener. The latest entry per command is held in
 * memory; the topic's retention (compact,delete) bounds both. A disk-backed store (RocksDB) is the next step if the
 * retained volume outgrows the heap.
 *
 * <p><b>Steps.</b> A command has at most one send per step (SendRequest.step), each under its own key
 * ({@link #key}): REPLY and HOLD_INVITATION under the command id (they exclude each other), HELD_ANSWER under
 * {@code commandId/HELD_ANSWER}, FAILOVER under {@code commandId/FAILOVER}. An invitation's non-final HELD outcome
 * counts as done like a final one: republished, never resent.
 *
 * <p><b>Failover index.</b> Next to the entries, the ledger maps the provider message id (wamid) of every SENT
 * WhatsApp message that may still fail over ({@link #failoverCandidate}) to its entry, rebuilt from the same
 * entries on replay: a FAILED delivery status on {@code delivery-statuses} partition p (same key, same partition
 * number) finds its command once ledger partition p is read. Bounded like the entries, by the ledger's retention.
 *
 * <p>Thread-safety: the memory is guarded by this object's lock; appends run outside it, so sends of different
 * conversations write the log side by side (the sender runs conversations concurrently, {@link KeyOrderedBatch}).
 * The entries of one command are only ever written by one thread at a time: its conversation's.
 */
public class SendLedger {

    /** Where the ledger lives: an append-only, partitioned log read back from a position. */
    public interface Log {

        /** Appends durably: returns once the log acknowledged the entry, throws otherwise. */
        void append(int partition, String key, SendLedgerEntry entry);

        /**
         * Feeds every entry of the partition from {@code from} to the current end (a null entry: the key was
         * deleted), returns the next position.
         */
        long replay(int partition, long from, BiConsumer<String, SendLedgerEntry> sink);

        /**
         * {@link #replay} of several partitions, each from its position; answers each one's next position. Here one
         * after another; a log that reads several partitions in one pass overrides it (Kafka: one fetch for all).
         */
        default Map<Integer, Long> replayAll(Map<Integer, Long> from, PartitionSink sink) {
            Map<Integer, Long> next = new HashMap<>();
            from.forEach((partition, position) -> next.put(partition,
                    replay(partition, position, (key, entry) -> sink.accept(partition, key, entry))));
            return next;
        }
    }

    /** Takes the entries {@link Log#replayAll} reads, with their partition. */
    @FunctionalInterface
    public interface PartitionSink {
        void accept(int partition, String key, SendLedgerEntry entry);
    }

    private final Log log;
    private final Map<String, SendLedgerEntry> entries = new HashMap<>();
    private final Map<String, SendLedgerEntry> unlogged = new HashMap<>();
    private final Map<String, Located> byProviderMessageId = new HashMap<>();
    private final Map<String, Integer> awaitingEvidence = new HashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final Set<Integer> current = new HashSet<>();
    private final ParkedQueues parked = new ParkedQueues();

    public SendLedger(Log log) {
        this.log = log;
    }

    /** The ledger key of one send of a command (see the class comment). */
    public static String key(String commandId, SendStep step) {
        return switch (step == null ? SendStep.REPLY : step) {
            case REPLY, HOLD_INVITATION -> commandId;
            case HELD_ANSWER, FAILOVER -> commandId + "/" + step.name();
        };
    }

    /** The ledger key of the request's send. */
    public static String key(SendRequest request) {
        return key(request.getCommandId(), request.getStep());
    }

    private static String key(SendLedgerEntry entry) {
        return key(entry.getCommandId(), entry.getStep());
    }

    /**
     * The latest entry under the key (SENDING, HELD or final), or null; first catches up with the partition.
     *
     * @param key {@link #key}: the command id for a REPLY
     */
    public synchronized SendLedgerEntry entryOf(int partition, String key) {
        catchUp(partition);
        SendLedgerEntry pending = unlogged.get(key);
        if (pending != null) {
            // This process knows the result but could not log it (a retry of the same record): log it now, so the
            // outcome published is the real one and not SEND_STATE_UNKNOWN.
            append(partition, pending);
            unlogged.remove(key);
        }
        return entries.get(key);
    }

    /**
     * The SENT WhatsApp outcome whose provider message id this is, if it may still fail over; null for a message
     * this partition's ledger does not know (not ours, another partition, retention passed, or not a candidate).
     */
    public synchronized DispatchOutcome failoverCandidate(int partition, String providerMessageId) {
        catchUp(partition);
        Located located = providerMessageId == null ? null : byProviderMessageId.get(providerMessageId);
        SendLedgerEntry entry = located == null || located.partition() != partition ? null : entries.get(located.key());
        return entry != null && failoverCandidate(entry.getOutcome()) ? entry.getOutcome() : null;
    }

    /**
     * A SENT WhatsApp message of a REPLY or HELD_ANSWER send: one whose delivery, when it fails later with 131047 or
     * 131026 (a Direct Send message: with any code), gets the one FAILOVER send. Invitations (HELD) and the FAILOVER
     * send itself never do.
     */
    public static boolean failoverCandidate(DispatchOutcome outcome) {
        return outcome != null && outcome.getStatus() == OutcomeStatus.SENT && outcome.getProviderMessageId() != null
                && (outcome.getChannel() == Channel.WHATSAPP || outcome.getChannel() == Channel.WHATSAPP_TEMPLATE
                        || outcome.getChannel() == Channel.WHATSAPP_DIRECT_SEND)
                && (outcome.getStep() == SendStep.REPLY || outcome.getStep() == SendStep.HELD_ANSWER);
    }

    /** True when the entry needs no send any more: its outcome, final or an invitation's HELD, is republished. */
    public static boolean done(SendLedgerEntry entry) {
        return entry != null && entry.getState() == SendState.DONE && entry.getOutcome() != null;
    }

    /** On every record's look-up: a partition already read costs a set look-up, nothing more. */
    private void catchUp(int partition) {
        if (!current.contains(partition)) {
            catchUp(List.of(partition));
        }
    }

    /**
     * Reads the partitions not read yet to their end, in one pass: after a restart every partition of the assignment
     * is read before the first batch, and one after another that took half a second each (six partitions: 3 s of a
     * restart's takeover).
     */
    private void catchUp(Collection<Integer> partitions) {
        Map<Integer, Long> from = new TreeMap<>();
        for (int partition : partitions) {
            if (!current.contains(partition)) {
                from.put(partition, positions.getOrDefault(partition, 0L));
            }
        }
        if (from.isEmpty()) {
            return;
        }
        Map<Integer, Long> next = log.replayAll(from, this::remember);
        positions.putAll(next);
        current.addAll(from.keySet());
    }

    /** Logs SENDING for the request; call right before the provider. */
    public void sending(int partition, SendRequest request, Instant now) {
        append(partition, SendLedgerEntry.newBuilder()
                .setCommandId(request.getCommandId())
                .setTenantId(request.getTenantId())
                .setConversationId(request.getConversationId())
                .setStep(request.getStep())
                .setState(SendState.SENDING)
                .setChannel(request.getChannel())
                .setExplanation(request.getExplanation())
                .setLoggedAt(now)
                .build());
    }

    /**
     * Logs the final outcome; call before publishing it. When the log refuses, the outcome is kept in memory and
     * logged on the next look-up of the command (the error handler's retry), then the failure is rethrown so that
     * nothing is published or committed on an unlogged result.
     */
    public void done(int partition, DispatchOutcome outcome) {
        appendResult(partition, doneEntry(outcome));
    }

    /**
     * Logs the outcome an in-doubt send ended with (settled by a status, or its deadline passed), as {@link #done}; the
     * entry keeps {@code settleBy}, which tells a settled send from one whose answer came.
     */
    public void settled(int partition, SendLedgerEntry awaiting, DispatchOutcome outcome) {
        appendResult(partition, SendLedgerEntry.newBuilder(doneEntry(outcome)).setSettleBy(awaiting.getSettleBy()).build());
    }

    /** Appends a result; one the log refuses is kept to be logged at the next look-up of its key, then rethrown. */
    private void appendResult(int partition, SendLedgerEntry entry) {
        try {
            append(partition, entry);
        } catch (RuntimeException e) {
            synchronized (this) {
                unlogged.put(key(entry), entry);
            }
            throw e;
        }
    }

    /** The DONE entry of an outcome. */
    static SendLedgerEntry doneEntry(DispatchOutcome outcome) {
        return entryOf(outcome, SendState.DONE).setOutcome(outcome).build();
    }

    /** An entry about the send an outcome is about, logged when the outcome occurred. */
    private static SendLedgerEntry.Builder entryOf(DispatchOutcome outcome, SendState state) {
        return SendLedgerEntry.newBuilder()
                .setCommandId(outcome.getCommandId())
                .setTenantId(outcome.getTenantId())
                .setConversationId(outcome.getConversationId())
                .setStep(outcome.getStep())
                .setState(state)
                .setChannel(outcome.getChannel())
                .setExplanation(outcome.getExplanation())
                .setLoggedAt(outcome.getOccurredAt());
    }

    /**
     * Partitions this process no longer owns: another owner may log for them, so their next use re-reads from
     * where this process stopped. Entries already read stay valid (a command's entries only move forward).
     */
    public synchronized void release(Collection<Integer> partitions) {
        current.removeAll(partitions);
    }

    /** True when the entry says a send began and no result was logged: the gap. */
    public static boolean inDoubt(SendLedgerEntry entry) {
        return entry != null && entry.getState() == SendState.SENDING;
    }

    /**
     * The honest outcome of an in-doubt send: FAILED SEND_STATE_UNKNOWN, final, no resend.
     *
     * @param agentId the command's agent (the entry does not carry it)
     */
    public static DispatchOutcome unknown(SendLedgerEntry sending, String agentId, Instant now) {
        return WireMapping.outcome(sending.getCommandId(), sending.getTenantId(), sending.getConversationId(),
                        OutcomeStatus.FAILED, sending.getChannel(), OutcomeReason.SEND_STATE_UNKNOWN,
                        sending.getExplanation(), true, now)
                .setStep(sending.getStep())
                .setAgentId(agentId)
                .setAttempts(1)
                .build();
    }

    /**
     * An entry of the ledger before {@link SendLedgerEntry} existed (topic {@code dispatch-send-ledger}, until
     * 2026-12): a {@link DispatchOutcome}, SENDING as a non-final PENDING outcome with the reason string "SENDING",
     * anything else the logged outcome. Read once per partition at start-up (see {@link KafkaSendLedgerLog}); to be
     * deleted with that topic, once its retention (8 days) has passed since the upgrade.
     */
    static SendLedgerEntry fromLegacy(DispatchOutcome legacy) {
        if (legacy.getStatus() == OutcomeStatus.PENDING && !legacy.getFinal$() && "SENDING".equals(legacy.getReason())) {
            return entryOf(legacy, SendState.SENDING).build();
        }
        return doneEntry(DispatchOutcome.newBuilder(legacy).setOutcomeReason(OutcomeReasons.of(legacy)).build());
    }

    /**
     * Logs that the send of {@code sending} is in doubt (its answer was lost, or it was found SENDING after a restart):
     * still SENDING, with until when a status may settle it and the outcome it gets if one proves it accepted. Call
     * before publishing the PENDING outcome (see {@link SendReconciler}).
     *
     * @return the entry as logged
     */
    public SendLedgerEntry awaitEvidence(int partition, SendLedgerEntry sending, DispatchOutcome ifAccepted,
                                         Instant settleBy, Instant now) {
        SendLedgerEntry entry = SendLedgerEntry.newBuilder(sending)
                .setState(SendState.SENDING)
                .setSettleBy(settleBy)
                .setIfAccepted(ifAccepted)
                // Out of its conversation's parked queue (a retry's answer lost): the later sends go on meanwhile.
                .setParked(null)
                .setLoggedAt(now)
                .build();
        append(partition, entry);
        return entry;
    }

    /** True when the send is in doubt and waits for a status to settle it ({@link #awaitEvidence}). */
    public static boolean awaitingEvidence(SendLedgerEntry entry) {
        return inDoubt(entry) && entry.getSettleBy() != null && entry.getIfAccepted() != null;
    }

    /** An entry awaiting evidence whose deadline passed, and its ledger partition. */
    public record Due(int partition, SendLedgerEntry entry) {
    }

    /**
     * The entries of these partitions awaiting evidence whose {@code settleBy} is not after {@code now}; first catches
     * up with each partition (so a send left in doubt by an earlier owner is found too).
     */
    public synchronized List<Due> dueForSettlement(Collection<Integer> partitions, Instant now) {
        catchUp(partitions);
        List<Due> due = new ArrayList<>();
        awaitingEvidence.forEach((key, partition) -> {
            SendLedgerEntry entry = entries.get(key);
            if (partitions.contains(partition) && awaitingEvidence(entry) && !entry.getSettleBy().isAfter(now)) {
                due.add(new Due(partition, entry));
            }
        });
        return due;
    }

    /**
     * Logs a send PARKED: what its retry needs and the PENDING outcome published for it (republished, like a DONE
     * entry's outcome, when its request is redelivered). Call before publishing that outcome.
     */
    public void park(int partition, ParkedSend retry, DispatchOutcome pending) {
        SendRequest request = retry.getRequest();
        append(partition, SendLedgerEntry.newBuilder()
                .setCommandId(request.getCommandId())
                .setTenantId(request.getTenantId())
                .setConversationId(request.getConversationId())
                .setStep(request.getStep())
                .setState(SendState.PARKED)
                .setChannel(request.getChannel())
                .setExplanation(request.getExplanation())
                .setOutcome(pending)
                .setParked(retry)
                .setLoggedAt(pending.getOccurredAt())
                .build());
    }

    /**
     * Logs SENDING for a retry of a parked send; call right before the provider. The entry keeps the parked send
     * (its place in the queue, its PENDING outcome): after a crash the retry is the usual gap, resolved once by the
     * owner of the partition, and the conversation's later sends still wait behind it until then.
     */
    public void retrying(int partition, SendLedgerEntry parkedEntry, Instant now) {
        append(partition, SendLedgerEntry.newBuilder(parkedEntry).setState(SendState.SENDING).setLoggedAt(now).build());
    }

    /**
     * Ends a parked send with an outcome that may be another step's: the FAILOVER outcome that replaced it when its
     * validity ran out, or its own once a retry went through. Logged under the parked send's own key, so that its
     * request, redelivered, republishes that outcome and never sends. The entry keeps its parked data until the outcome
     * is published ({@link #published}): its request's offset was committed when it was parked, so nothing else would
     * publish it again if that publish did not land (the broker away, the process killed with it in its buffer); a
     * DONE entry still holding its parked data stays its conversation's parked head, and the partition's owner
     * publishes its outcome again. On a refused write, as {@link #done}.
     */
    public void closeParked(int partition, SendLedgerEntry parkedEntry, DispatchOutcome outcome) {
        SendLedgerEntry entry = SendLedgerEntry.newBuilder(parkedEntry)
                .setState(SendState.DONE)
                .setOutcome(outcome)
                .setLoggedAt(outcome.getOccurredAt())
                .build();
        appendResult(partition, entry);
    }

    /** The outcome of a parked send that ended ({@link #closeParked}) was published: it leaves its conversation's queue. */
    public void published(int partition, SendLedgerEntry closed) {
        append(partition, SendLedgerEntry.newBuilder(closed).setParked(null).build());
    }

    /** True when a parked send ended and its outcome is not known to be published yet ({@link #closeParked}). */
    public static boolean closedUnpublished(SendLedgerEntry entry) {
        return done(entry) && entry.getParked() != null;
    }

    /** True when the entry is a parked send (waiting for its provider, or behind another parked send). */
    public static boolean parked(SendLedgerEntry entry) {
        return entry != null && entry.getState() == SendState.PARKED && entry.getParked() != null;
    }

    /** True while the conversation has a parked send: a new send of it queues behind instead of going first. */
    public synchronized boolean hasParked(String conversationId) {
        return parked.hasParked(conversationId);
    }

    /** The queue position of a send parked now in the conversation: behind every one already parked. */
    public synchronized long nextQueuePosition(String conversationId) {
        return parked.nextPosition(conversationId);
    }

    /**
     * The first parked send of every conversation on these partitions (caught up first): PARKED, or SENDING when a
     * retry of it began and no result is logged (in this process: running; after a restart: the gap).
     */
    public synchronized List<ParkedQueues.Head> parkedHeads(Collection<Integer> partitions) {
        catchUp(partitions);
        return parked.heads(partitions);
    }

    /** The conversation's first parked send, or null when it has none. */
    public synchronized ParkedQueues.Head parkedHead(String conversationId) {
        return parked.head(conversationId);
    }

    /** The entries of the parked sends on these partitions, for the gauge. */
    public synchronized List<SendLedgerEntry> parkedEntries(Collection<Integer> partitions) {
        return parked.keys(partitions).stream().map(entries::get).filter(java.util.Objects::nonNull).toList();
    }

    /** Durably, then in memory. Outside the lock when called from {@link #sending} and {@link #done}. */
    private void append(int partition, SendLedgerEntry entry) {
        log.append(partition, key(entry), entry);
        synchronized (this) {
            remember(partition, key(entry), entry);
        }
    }

    private void remember(int partition, String key, SendLedgerEntry entry) {
        parked.remember(partition, key, entry);
        if (entry == null) {
            entries.remove(key);
            awaitingEvidence.remove(key);
            return;
        }
        entries.put(key, entry);
        if (awaitingEvidence(entry)) {
            awaitingEvidence.put(key, partition);
        } else {
            awaitingEvidence.remove(key);
        }
        if (failoverCandidate(entry.getOutcome())) {
            byProviderMessageId.put(entry.getOutcome().getProviderMessageId(), new Located(partition, key));
        }
    }

    /** Where a provider message id's entry lives: only a status on the same partition number may use it. */
    private record Located(int partition, String key) {
    }
}
