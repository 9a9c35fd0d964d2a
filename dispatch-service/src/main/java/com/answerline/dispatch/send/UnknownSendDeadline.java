package com.answerline.dispatch.send;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.event.ListenerContainerIdleEvent;

import com.answerline.avro.DispatchOutcome;
import com.answerline.schemas.topic.Topics;

/**
 * The deadline of in-doubt sends ({@link SendReconciler}): a send still without evidence at its {@code settleBy} ends
 * FAILED SEND_STATE_UNKNOWN, final, never resent; logged in the ledger, then published, then counted
 * ({@code deadline_unknown}).
 *
 * <p>A due-time check, not a timer of its own: it runs on the sender's consumer thread, which owns the partitions and
 * is the only thread that settles or expires an in-doubt send (ParkedSends hands a retry whose answer was lost over
 * to it and forgets it), so it never races a status settling the same send. The sender calls
 * {@link #expire} before each batch with its assigned partitions; when no record comes, the container's idle event
 * (every {@code spring.kafka.listener.idle-event-interval}, 5 s) does, with the partitions of the idle consumer. A
 * deadline is therefore met within a batch's time or the idle interval. A send due on a partition that changed hands
 * is expired by its new owner, which reads the ledger partition first.
 */
public class UnknownSendDeadline {

    private static final Logger log = LoggerFactory.getLogger(UnknownSendDeadline.class);

    private final SendLedger ledger;
    private final KafkaTemplate<String, DispatchOutcome> outcomes;
    private final Clock clock;
    private final Counter expired;

    public UnknownSendDeadline(SendLedger ledger, KafkaTemplate<String, DispatchOutcome> outcomes, Clock clock,
                               MeterRegistry meters) {
        this.ledger = ledger;
        this.outcomes = outcomes;
        this.clock = clock;
        this.expired = SendReconciler.counter(meters, SendReconciler.Result.DEADLINE_UNKNOWN);
    }

    /**
     * Ends the in-doubt sends of these ledger partitions whose deadline passed.
     *
     * The outcome is published before it is logged: nothing would publish it again if the process died in between
     * the other way round (the send request's offset was committed with the PENDING outcome). A death between the two
     * makes the next check publish it again, identical (its time is the deadline).
     *
     * @return how many it ended
     * @throws Exception when an outcome could not be published or logged (the next check tries again)
     */
    public int expire(Collection<Integer> partitions) throws Exception {
        if (partitions.isEmpty()) {
            return 0;
        }
        List<SendLedger.Due> due = ledger.dueForSettlement(partitions, clock.instant());
        for (SendLedger.Due send : due) {
            DispatchOutcome outcome = SendReconciler.expired(send.entry());
            outcomes.send(Topics.DISPATCH_OUTCOMES.name(), outcome.getConversationId(), outcome).get(30, TimeUnit.SECONDS);
            ledger.settled(send.partition(), send.entry(), outcome);
            expired.increment();
            log.warn("command {} step {}: no status named the in-doubt send by its deadline; {} {}, not resent",
                    outcome.getCommandId(), outcome.getStep(), outcome.getStatus(), outcome.getOutcomeReason());
        }
        return due.size();
    }

    /** The sender's consumer is idle: the check runs for its partitions (see the class comment). */
    @EventListener(condition = "event.listenerId.startsWith('" + SendRequestListener.LISTENER_ID + "')")
    public void onIdle(ListenerContainerIdleEvent event) throws Exception {
        expire(partitions(event.getTopicPartitions()));
    }

    /**
     * The ledger partitions of a consumer's assignment: its send-requests partitions (also the sender's share of the
     * throughput limit, config.LedgerConfig).
     */
    public static List<Integer> partitions(Collection<TopicPartition> assigned) {
        return assigned == null ? List.of() : assigned.stream()
                .filter(tp -> tp.topic().equals(Topics.SEND_REQUESTS.name()))
                .map(TopicPartition::partition)
                .toList();
    }
}
