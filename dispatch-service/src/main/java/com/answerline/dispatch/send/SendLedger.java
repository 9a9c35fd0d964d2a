package com.answerline.dispatch.send;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.dispatch.wire.WireMapping;

/**
 * The send ledger: for every command id, the state of its one provider send, written durably before the
 * send-requests offset is committed. Two states, both carried as a {@link DispatchOutcome} (no new contract):
 * <ul>
 *   <li><b>SENDING</b> - a non-final PENDING outcome with reason {@value #SENDING}, appended (and acknowledged by
 *       the log) <em>before</em> the provider is called;</li>
 *   <li><b>done</b> - the final outcome itself (SENT with the provider's message id, FAILED, REJECTED), appended
 *       <em>before</em> the outcome is published and the offset committed.</li>
 * </ul>
 * A command found done is never sent again (its outcome is republished). A command found SENDING is the gap:
 * the process died after the provider may have accepted the message and before the result was logged. Neither
 * WhatsApp Cloud API nor Twilio accepts an idempotency key, so a resend could message the customer twice;
 * the ledger resolves it to a final FAILED {@value #SEND_STATE_UNKNOWN} instead (at most once, never silently),
 * for the agent to check the conversation. The gap is the time between the provider's HTTP answer and the log's
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
 * <p>Thread-safety: methods are synchronized; the sender's container has one consumer thread.
 */
public class SendLedger {

    /** Reason of the SENDING entry. */
    public static final String SENDING = "SENDING";
    /** Reason of the final outcome for a command found SENDING without a result. */
    public static final String SEND_STATE_UNKNOWN = "SEND_STATE_UNKNOWN";

    /** Where the ledger lives: an append-only, partitioned log read back from a position. */
    public interface Log {

        /** Appends durably: returns once the log acknowledged the entry, throws otherwise. */
        void append(int partition, String commandId, DispatchOutcome entry);

        /** Feeds every entry of the partition from {@code from} to the current end, returns the next position. */
        long replay(int partition, long from, BiConsumer<String, DispatchOutcome> sink);
    }

    private final Log log;
    private final Map<String, DispatchOutcome> entries = new HashMap<>();
    private final Map<String, DispatchOutcome> unlogged = new HashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final Set<Integer> current = new HashSet<>();

    public SendLedger(Log log) {
        this.log = log;
    }

    /** The latest entry of the command (SENDING or final), or null; first catches up with the partition. */
    public synchronized DispatchOutcome entryOf(int partition, String commandId) {
        if (current.add(partition)) {
            long next = log.replay(partition, positions.getOrDefault(partition, 0L), this::remember);
            positions.put(partition, next);
        }
        DispatchOutcome pending = unlogged.get(commandId);
        if (pending != null) {
            // This process knows the result but could not log it (a retry of the same record): log it now, so the
            // outcome published is the real one and not SEND_STATE_UNKNOWN.
            append(partition, pending);
            unlogged.remove(commandId);
        }
        return entries.get(commandId);
    }

    /** Logs SENDING for the request; call right before the provider. */
    public synchronized void sending(int partition, SendRequest request, Instant now) {
        DispatchOutcome entry = WireMapping.outcome(request.getCommandId(), request.getTenantId(),
                        request.getConversationId(), OutcomeStatus.PENDING, request.getChannel(), SENDING,
                        request.getExplanation(), false, now)
                .build();
        append(partition, entry);
    }

    /**
     * Logs the final outcome; call before publishing it. When the log refuses, the outcome is kept in memory and
     * logged on the next look-up of the command (the error handler's retry), then the failure is rethrown so that
     * nothing is published or committed on an unlogged result.
     */
    public synchronized void done(int partition, DispatchOutcome outcome) {
        try {
            append(partition, outcome);
        } catch (RuntimeException e) {
            unlogged.put(outcome.getCommandId(), outcome);
            throw e;
        }
    }

    /**
     * Partitions this process no longer owns: another owner may log for them, so their next use re-reads from
     * where this process stopped. Entries already read stay valid (a command's entries only move forward).
     */
    public synchronized void release(Collection<Integer> partitions) {
        current.removeAll(partitions);
    }

    /** True when the entry says a send began and no result was logged: the gap. */
    public static boolean inDoubt(DispatchOutcome entry) {
        return entry != null && !entry.getFinal$() && SENDING.equals(entry.getReason());
    }

    /** The honest outcome of an in-doubt send: FAILED SEND_STATE_UNKNOWN, final, no resend. */
    public static DispatchOutcome unknown(DispatchOutcome sending, Instant now) {
        return DispatchOutcome.newBuilder(sending)
                .setStatus(OutcomeStatus.FAILED)
                .setReason(SEND_STATE_UNKNOWN)
                .setAttempts(1)
                .setFinal$(true)
                .setOccurredAt(now)
                .build();
    }

    private void append(int partition, DispatchOutcome entry) {
        log.append(partition, entry.getCommandId(), entry);
        entries.put(entry.getCommandId(), entry);
    }

    private void remember(String commandId, DispatchOutcome entry) {
        if (entry == null) {
            entries.remove(commandId);
        } else {
            entries.put(commandId, entry);
        }
    }
}
