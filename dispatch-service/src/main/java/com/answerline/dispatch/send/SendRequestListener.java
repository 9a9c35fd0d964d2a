package com.answerline.dispatch.send;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.pricing.OutcomeCosts;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.UpstreamGuard;

/**
 * Consumes decided SendRequests (read_committed: only what the decision topology committed), sends each at most
 * once per command and step across retries, redeliveries, rebalances and restarts (the {@link SendLedger}), and
 * publishes its outcome before the offset is committed. Failure policy: the container's {@code DefaultErrorHandler}
 * (see config), poison records to the topic's dead-letter twin.
 *
 * <p>The same consumer reads {@code delivery-statuses}, for the asynchronous failover ({@link DeliveryFailover}):
 * both topics are keyed by conversation id with 6 partitions, and the {@code RangeAssignor} gives partition p of
 * both to the same consumer, so the status of a message finds its command in ledger partition p, which only this
 * consumer writes.
 *
 * <p>Each poll is one batch, run by {@link KeyOrderedBatch}: conversations side by side on the sender's workers,
 * each conversation's records one after another in poll order (so the SENT entry of a message is in the ledger
 * before its status can be read, and a customer's replies keep their order). Each record runs the same steps as
 * it would alone, in its own listener observation (the trace of the record it handles). The offsets of a batch are
 * committed once all of it is done; a record that fails is handed to the error handler with its index, which
 * commits what came before it, retries it, and redelivers what came after (handled again idempotently: the ledger).
 */
@Component
class SendRequestListener {

    /** Partition p of every subscribed topic on one consumer: co-partitioned topics stay together. */
    static final String CO_PARTITIONED = "partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor";

    static final String LISTENER_ID = "dispatch-sender";

    /** The bean name of the sender's worker pool (config). */
    public static final String SENDER_WORKERS = "senderWorkers";

    private static final Logger log = LoggerFactory.getLogger(SendRequestListener.class);
    private static final LogAccessor LOG_ACCESSOR = new LogAccessor(SendRequestListener.class);

    private final ReplySender sender;
    private final SendLedger ledger;
    private final DeliveryFailover failover;
    private final OutcomeCosts costs;
    private final KafkaTemplate<String, DispatchOutcome> outcomes;
    private final Clock clock;
    private final KeyOrderedBatch<ConsumerRecord<String, Object>> batches;
    private final ObservationRegistry observations;
    private final UpstreamGuard.Settings upstream;
    private final SendReconciler reconciler;
    private final UnknownSendDeadline deadline;

    SendRequestListener(ReplySender sender, SendLedger ledger, DeliveryFailover failover, OutcomeCosts costs,
                        KafkaTemplate<String, DispatchOutcome> outcomes, Clock clock,
                        @Qualifier(SENDER_WORKERS) Executor senderWorkers, ObservationRegistry observations,
                        UpstreamGuard.Settings upstream, SendReconciler reconciler, UnknownSendDeadline deadline) {
        this.sender = sender;
        this.ledger = ledger;
        this.failover = failover;
        this.costs = costs;
        this.outcomes = outcomes;
        this.clock = clock;
        this.batches = new KeyOrderedBatch<>(senderWorkers, ConsumerRecord::key);
        this.observations = observations;
        this.upstream = upstream;
        this.reconciler = reconciler;
        this.deadline = deadline;
    }

    @KafkaListener(id = LISTENER_ID, batch = "true", topics = {
            "#{T(com.answerline.schemas.topic.Topics).SEND_REQUESTS.name()}",
            "#{T(com.answerline.schemas.topic.Topics).DELIVERY_STATUSES.name()}"},
            properties = CO_PARTITIONED)
    void onBatch(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) throws Exception {
        // On the consumer thread, before the batch's workers start: in-doubt sends past their deadline end first.
        deadline.expire(UnknownSendDeadline.partitions(consumer.assignment()));
        onBatch(records);
    }

    void onBatch(List<ConsumerRecord<String, Object>> records) {
        batches.run(records, this::observed).ifPresent(failure -> {
            throw new BatchListenerFailedException("record " + failure.index() + " of the batch failed: "
                    + failure.cause().getMessage(), failure.cause(), failure.index());
        });
    }

    /** One record in a listener observation of its own: the span continues the trace the record carries. */
    private void observed(ConsumerRecord<String, Object> record) throws Exception {
        Observation observation = KafkaListenerObservation.LISTENER_OBSERVATION.observation(null,
                KafkaListenerObservation.DefaultKafkaListenerObservationConvention.INSTANCE,
                () -> new KafkaRecordReceiverContext(record, LISTENER_ID, () -> null), observations);
        observation.observeChecked(() -> onRecord(record));
    }

    @SuppressWarnings("unchecked")
    void onRecord(ConsumerRecord<String, Object> record) throws Exception {
        DeserializationException undecodable = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
        if (undecodable != null) {
            // Not retried (the error handler's default for this type): straight to the dead letters, bytes unchanged.
            throw undecodable;
        }
        if (record.value() instanceof SendRequest) {
            onSendRequest((ConsumerRecord<String, SendRequest>) (ConsumerRecord<?, ?>) record);
        } else if (record.value() instanceof DeliveryStatus status) {
            if (!UpstreamGuard.accepts(upstream, record.key(), status, record.partition())) {
                // session-service guards delivery-statuses: it dead-letters this record if it is invalid, or forwards
                // it to its conversation's partition, where this listener reads the copy.
                log.debug("{}-{} offset {}: invalid or misplaced delivery status, left to session-service's guard",
                        record.topic(), record.partition(), record.offset());
                return;
            }
            onDeliveryStatus((ConsumerRecord<String, DeliveryStatus>) (ConsumerRecord<?, ?>) record);
        } else {
            log.warn("{}-{} offset {}: neither a send request nor a delivery status, skipped",
                    record.topic(), record.partition(), record.offset());
        }
    }

    void onSendRequest(ConsumerRecord<String, SendRequest> record) throws Exception {
        SendRequest request = record.value();
        int partition = record.partition();
        // The command id (and step) is the idempotency key: a request seen again (error-handler retry, redelivery
        // after a rebalance or a restart, a duplicate request) never reaches the provider a second time.
        SendLedgerEntry entry = ledger.entryOf(partition, SendLedger.key(request));
        DispatchOutcome outcome;
        if (entry == null) {
            outcome = sendOnce(partition, request);
        } else if (unnoticedGap(entry)) {
            // A send began before a restart and its result was never logged: in doubt, like a lost answer.
            log.warn("command {} step {}: a send began before a restart and its result was never logged; not resent",
                    entry.getCommandId(), entry.getStep());
            outcome = reconciler.inDoubt(partition, entry, costs.withCost(sender.ifAccepted(request), request));
        } else {
            outcome = settled(entry);
        }
        publish(record.key(), outcome);
    }

    /**
     * A delivery status. When it names its send (command id and step, from the send's reference), it settles that send
     * if it is in doubt ({@link SendReconciler}), and is matched to it for the failover; otherwise it is matched by
     * provider message id (wamid) as before. Then only a FAILED/UNDELIVERED 131047 or 131026 of a message the ledger
     * knows as a SENT WhatsApp reply leads anywhere, to the command's one FAILOVER send. Everything else (other
     * statuses, other codes, sends this partition's ledger does not know) is dropped without a write.
     */
    void onDeliveryStatus(ConsumerRecord<String, DeliveryStatus> record) throws Exception {
        DeliveryStatus status = record.value();
        int partition = record.partition();
        SendLedgerEntry named = reconciler.namedBy(partition, status);
        DispatchOutcome sent;
        if (named == null) {
            sent = DeliveryFailover.failoverCode(status) == null ? null
                    : ledger.failoverCandidate(partition, status.getProviderMessageId());
        } else if (SendLedger.awaitingEvidence(named)) {
            Optional<DispatchOutcome> settled = reconciler.settle(partition, named, status);
            if (settled.isEmpty()) {
                return;
            }
            publish(record.key(), settled.get());
            sent = settled.get();
        } else if (SendLedger.done(named)) {
            Optional<DispatchOutcome> again = reconciler.afterDone(named, status);
            if (again.isPresent()) {
                publish(record.key(), again.get());
            }
            sent = named.getOutcome();
        } else {
            // SENDING, not yet known to be in doubt: a send of before a restart whose request is redelivered next.
            log.debug("status for command {} step {} whose send is not resolved yet; ignored", status.getCommandId(),
                    status.getStep());
            return;
        }
        Integer code = DeliveryFailover.failoverCode(status);
        if (code == null) {
            return;
        }
        if (sent == null || !SendLedger.failoverCandidate(sent)
                || !status.getProviderMessageId().equals(sent.getProviderMessageId())) {
            log.debug("failed delivery ({}) of a message this ledger partition does not know as SENT; ignored", code);
            return;
        }
        SendLedgerEntry entry = ledger.entryOf(partition, SendLedger.key(sent.getCommandId(), SendStep.FAILOVER));
        DispatchOutcome outcome;
        if (entry != null && !unnoticedGap(entry)) {
            // Failed over already (the status again, or a second failed status): never a second fallback. The
            // logged outcome is published again, identical, in case the process died before publishing it.
            outcome = settled(entry);
        } else {
            DeliveryFailover.Plan plan = failover.plan(sent, status, code);
            if (plan instanceof DeliveryFailover.Plan.Ignore ignore) {
                log.info("command {}: delivery failed ({}), no failover: {}", sent.getCommandId(), code, ignore.why());
                return;
            }
            if (plan instanceof DeliveryFailover.Plan.Final nothingToSend) {
                ledger.done(partition, nothingToSend.outcome());
                outcome = nothingToSend.outcome();
            } else {
                SendRequest request = ((DeliveryFailover.Plan.Send) plan).request();
                // A FAILOVER send begun before a restart, never resolved: in doubt, not sent again.
                outcome = entry == null ? sendOnce(partition, request)
                        : reconciler.inDoubt(partition, entry, costs.withCost(sender.ifAccepted(request), request));
            }
            log.info("command {}: WhatsApp delivery failed ({}), failover {}", sent.getCommandId(), code, outcome.getOutcomeReason());
        }
        publish(record.key(), outcome);
    }

    /**
     * SENDING logged before the provider, the result (with its estimated cost) logged before it is published, so a
     * republished outcome is identical to the first, cost included.
     */
    private DispatchOutcome sendOnce(int partition, SendRequest request) {
        ledger.sending(partition, request, clock.instant());
        DispatchOutcome outcome;
        try {
            outcome = costs.withCost(sender.send(request), request);
        } catch (InDoubtSendException e) {
            return reconciler.inDoubt(partition, ledger.entryOf(partition, SendLedger.key(request)),
                    costs.withCost(e.ifAccepted(), request));
        }
        ledger.done(partition, outcome);
        return outcome;
    }

    /**
     * The outcome of a send the ledger already has, republished, never resent: its result, or its PENDING outcome
     * while it is in doubt.
     */
    private static DispatchOutcome settled(SendLedgerEntry entry) {
        if (SendLedger.done(entry)) {
            log.info("command {} step {} already done; duplicate suppressed, outcome republished",
                    entry.getCommandId(), entry.getStep());
            return entry.getOutcome();
        }
        log.info("command {} step {} in doubt, waiting for a status; not resent, outcome republished",
                entry.getCommandId(), entry.getStep());
        return SendReconciler.pending(entry);
    }

    /** SENDING and not yet known to be in doubt: the send began before a restart, its result never logged. */
    private static boolean unnoticedGap(SendLedgerEntry entry) {
        return SendLedger.inDoubt(entry) && !SendLedger.awaitingEvidence(entry);
    }

    private void publish(String key, DispatchOutcome outcome) throws Exception {
        outcomes.send(Topics.DISPATCH_OUTCOMES.name(), key, outcome).get(30, TimeUnit.SECONDS);
        log.info("command {} tenant {} step {}: {} via {} ({})", outcome.getCommandId(), outcome.getTenantId(),
                outcome.getStep(), outcome.getStatus(), outcome.getChannel(), outcome.getOutcomeReason());
    }
}
