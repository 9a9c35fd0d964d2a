package com.answerline.dispatch.send;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
import com.answerline.avro.ParkedSend;
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
 * <p>Each poll is one batch, run by {@link KeyOrderedBatch}: conversations side by side on the sender's workers
 * (started partition by partition in turn), each conversation's records one after another in poll order (so the SENT
 * entry of a message is in the ledger before its status can be read, and a customer's replies keep their order). Each record runs the same steps as
 * it would alone, in its own listener observation (the trace of the record it handles). The offsets of a batch are
 * committed once all of it is done; a batch still running after {@link SenderProperties#progressCommitInterval()}
 * (a restart's backlog) commits, that often, each partition up to its first record not done yet
 * ({@link BatchProgress}), on the consumer thread, while the workers go on. A record that fails is handed to the
 * error handler with its index, which commits what came before it, retries it, and redelivers what came after
 * (handled again idempotently: the ledger).
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
    private final Parking parking;
    private final ParkedSendMetrics parkedMetrics;

    SendRequestListener(ReplySender sender, SendLedger ledger, DeliveryFailover failover, OutcomeCosts costs,
                        KafkaTemplate<String, DispatchOutcome> outcomes, Clock clock,
                        @Qualifier(SENDER_WORKERS) Executor senderWorkers, SenderProperties senderProperties,
                        ObservationRegistry observations,
                        UpstreamGuard.Settings upstream, SendReconciler reconciler, UnknownSendDeadline deadline,
                        Parking parking, ParkedSendMetrics parkedMetrics) {
        this.sender = sender;
        this.ledger = ledger;
        this.failover = failover;
        this.costs = costs;
        this.outcomes = outcomes;
        this.clock = clock;
        this.batches = new KeyOrderedBatch<>(senderWorkers, ConsumerRecord::key, ConsumerRecord::partition,
                senderProperties.progressCommitInterval());
        this.observations = observations;
        this.upstream = upstream;
        this.reconciler = reconciler;
        this.deadline = deadline;
        this.parking = parking;
        this.parkedMetrics = parkedMetrics;
    }

    @KafkaListener(id = LISTENER_ID, batch = "true", topics = {
            "#{T(com.answerline.schemas.topic.Topics).SEND_REQUESTS.name()}",
            "#{T(com.answerline.schemas.topic.Topics).DELIVERY_STATUSES.name()}"},
            properties = CO_PARTITIONED)
    void onBatch(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) throws Exception {
        // On the consumer thread, before the batch's workers start: in-doubt sends past their deadline end first.
        deadline.expire(UnknownSendDeadline.partitions(consumer.assignment()));
        BatchProgress progress = new BatchProgress(records);
        onBatch(records, done -> commitProgress(consumer, progress.advanced(done)));
    }

    void onBatch(List<ConsumerRecord<String, Object>> records) {
        onBatch(records, KeyOrderedBatch.Progress.NONE);
    }

    private void onBatch(List<ConsumerRecord<String, Object>> records, KeyOrderedBatch.Progress progress) {
        batches.run(records, this::observed, progress).ifPresent(failure -> {
            throw new BatchListenerFailedException("record " + failure.index() + " of the batch failed: "
                    + failure.cause().getMessage(), failure.cause(), failure.index());
        });
    }

    /**
     * Commits a running batch's progress, on the consumer thread. A commit that fails (the group rebalanced or fenced
     * this member: the partitions may be someone else's now) is left at that: the records are redelivered and handled
     * again idempotently, and the container's own commit at the batch's end reports the failure.
     */
    static void commitProgress(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            log.debug("batch still running: committed its progress on {} partitions", offsets.size());
        } catch (WakeupException stopping) {
            // The container is stopping: its wake-up belongs to its own next blocking call, as without this commit.
            consumer.wakeup();
        } catch (KafkaException e) {
            log.debug("batch still running: progress commit failed ({}), left to the batch's own commit", e.toString());
        }
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
            // An earlier send of the conversation waits for its provider: this one waits behind it, never overtakes.
            outcome = ledger.hasParked(request.getConversationId()) ? parkBehind(partition, request)
                    : sendOnce(partition, request);
        } else if (unnoticedGap(entry) && !ownedByParking(entry)) {
            // A send began before a restart and its result was never logged: in doubt, like a lost answer.
            log.warn("command {} step {}: a send began before a restart and its result was never logged; not resent",
                    entry.getCommandId(), entry.getStep());
            outcome = inDoubt(partition, entry, request);
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
            sent = DeliveryFailover.failedWhatsApp(status)
                    ? ledger.failoverCandidate(partition, status.getProviderMessageId()) : null;
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
            // SENDING, not yet known to be in doubt: a send of before a restart whose request is redelivered next;
            // kept as the evidence that settles it when it is found in doubt.
            log.debug("status for command {} step {} whose send is not resolved yet; kept", status.getCommandId(),
                    status.getStep());
            reconciler.keepEarly(status);
            return;
        }
        Integer code = DeliveryFailover.failoverCode(status, sent);
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
        if (entry != null && (!unnoticedGap(entry) || ownedByParking(entry))) {
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
                        : inDoubt(partition, entry, request);
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
        return sendOnce(partition, request, null);
    }

    /**
     * {@link #sendOnce(int, SendRequest)}; a provider that is unavailable parks the send (PARKED logged, its PENDING
     * outcome returned) instead of failing it.
     *
     * @param queuePosition where it waits in its conversation's queue when parked; null: behind every parked send
     */
    private DispatchOutcome sendOnce(int partition, SendRequest request, Long queuePosition) {
        ledger.sending(partition, request, clock.instant());
        ReplySender.Result result;
        try {
            result = sender.sendOrReport(request);
        } catch (InDoubtSendException e) {
            return lostAnswer(partition, request, e);
        }
        if (result.unavailable() != null) {
            ParkedSend parked = parking.first(result.unavailable(), queuePosition != null ? queuePosition
                    : ledger.nextQueuePosition(request.getConversationId()));
            DispatchOutcome pending = parking.pending(parked);
            ledger.park(partition, parked, pending);
            parkedMetrics.parked(parked.getRequest().getChannel());
            log.info("command {} step {}: {} unavailable ({}), parked until {}", request.getCommandId(), request.getStep(),
                    request.getChannel(), parked.getLastError(), parked.getValidUntil());
            return pending;
        }
        DispatchOutcome outcome = costs.withCost(result.outcome(), request);
        ledger.done(partition, outcome);
        return outcome;
    }

    /** Parks the request behind the conversation's parked sends, untried; its PENDING outcome. */
    private DispatchOutcome parkBehind(int partition, SendRequest request) {
        ParkedSend parked = parking.behind(request, ledger.nextQueuePosition(request.getConversationId()));
        DispatchOutcome pending = parking.pending(parked);
        ledger.park(partition, parked, pending);
        parkedMetrics.parked(request.getChannel());
        log.info("command {} step {}: queued behind a parked send of its conversation", request.getCommandId(),
                request.getStep());
        return pending;
    }

    /**
     * One step of a conversation's parked queue, run by {@link ParkedSends} for the partition's owner (never beside
     * another step of the same conversation): the head is retried when due (SENDING logged first), re-parked when its
     * provider is still unavailable, ended by the tenant's policy when its validity ran out, or, found SENDING (a
     * retry began before a restart), resolved as the gap. Every outcome but a re-park is published.
     *
     * @return true when the head is gone (the next send of the conversation may go now), false when it still waits
     */
    boolean advanceParked(int partition, String key) throws Exception {
        SendLedgerEntry entry = ledger.entryOf(partition, key);
        if (SendLedger.closedUnpublished(entry)) {
            // Ended, its outcome not known to be published (that publish failed, or the process died before it): the
            // logged outcome again, identical, then it leaves the queue.
            publishClosed(partition, entry);
            return true;
        }
        if (entry == null || SendLedger.done(entry)) {
            return true;
        }
        ParkedSend parked = entry.getParked();
        SendRequest request = parked.getRequest();
        DispatchOutcome outcome;
        if (SendLedger.inDoubt(entry)) {
            // A retry began before a restart and its result was never logged: the usual gap, never resent; in doubt
            // until a status names it or its deadline (it leaves the conversation's queue).
            outcome = inDoubt(partition, entry, request);
        } else if (parking.expired(parked)) {
            outcome = expire(partition, entry);
        } else if (!parking.due(parked) || !sender.permitsCalls(request.getChannel())) {
            // Not yet, or the breaker is open: it waits without a call (the breaker's half-open probes come first).
            return false;
        } else {
            outcome = retry(partition, entry);
            if (outcome == null) {
                return false;
            }
        }
        parkedMetrics.ended(request.getChannel(), request.getStep(), outcome);
        SendLedgerEntry closed = ledger.entryOf(partition, key);
        if (SendLedger.closedUnpublished(closed)) {
            publishClosed(partition, closed);
        } else {
            // In doubt: out of the queue already (SendReconciler), its PENDING outcome published here.
            publish(request.getConversationId(), outcome);
        }
        return true;
    }

    /**
     * Publishes the outcome a parked send ended with (after a failover, the parked send's own non-final FAILED first,
     * {@link Parking#superseded}), then logs it published: it leaves its conversation's queue.
     */
    private void publishClosed(int partition, SendLedgerEntry closed) throws Exception {
        ParkedSend parked = closed.getParked();
        if (closed.getOutcome().getStep() != closed.getStep()) {
            publish(closed.getConversationId(), parking.superseded(parked));
        }
        publish(closed.getConversationId(), closed.getOutcome());
        ledger.published(partition, closed);
    }

    /**
     * One retry of a due parked send, SENDING logged first: its outcome (sent, refused, or in doubt when the answer was
     * lost: then out of the queue, never retried), or null when the provider is still unavailable (parked again).
     */
    private DispatchOutcome retry(int partition, SendLedgerEntry entry) {
        ParkedSend parked = entry.getParked();
        SendRequest request = parked.getRequest();
        ledger.retrying(partition, entry, clock.instant());
        ReplySender.Result result;
        try {
            result = sender.sendOrReport(request);
        } catch (InDoubtSendException e) {
            return lostAnswer(partition, request, e);
        }
        if (result.unavailable() != null) {
            ParkedSend again = parking.again(parked, result.unavailable());
            ledger.park(partition, again, entry.getOutcome());
            log.info("command {} step {}: {} still unavailable ({}), attempt {}, next at {}", request.getCommandId(),
                    request.getStep(), request.getChannel(), again.getLastError(), again.getAttempts(),
                    again.getNextAttemptAt());
            return null;
        }
        DispatchOutcome outcome = costs.withCost(result.outcome(), request);
        ledger.closeParked(partition, entry, outcome);
        return outcome;
    }

    /** The provider may have taken the request's send, its answer was lost: in doubt (see SendReconciler). */
    private DispatchOutcome lostAnswer(int partition, SendRequest request, InDoubtSendException e) {
        return reconciler.inDoubt(partition, ledger.entryOf(partition, SendLedger.key(request)),
                costs.withCost(e.ifAccepted(), request));
    }

    /**
     * The validity ran out: the tenant's policy sends the command's one FAILOVER (at the parked send's place in the
     * queue; a FAILOVER already logged, by a run that died before closing the parked send, is settled, never sent
     * again) or ends it FAILED PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED. The parked send is closed with that outcome;
     * before a failover's outcome, the parked send's own non-final FAILED is published ({@link Parking#superseded}).
     */
    private DispatchOutcome expire(int partition, SendLedgerEntry entry) throws Exception {
        ParkedSend parked = entry.getParked();
        SendRequest request = parked.getRequest();
        DispatchOutcome outcome;
        Parking.Expiry expiry = parking.expire(parked);
        if (expiry instanceof Parking.Expiry.FailOver failover) {
            SendLedgerEntry logged = ledger.entryOf(partition, SendLedger.key(request.getCommandId(), SendStep.FAILOVER));
            outcome = logged == null ? sendOnce(partition, failover.request(), parked.getQueuePosition())
                    : unnoticedGap(logged) ? inDoubt(partition, logged, failover.request()) : settled(logged);
            ledger.closeParked(partition, entry, outcome);
            log.info("command {} step {}: {} unavailable for its validity, failover {}", request.getCommandId(),
                    request.getStep(), request.getChannel(), outcome.getOutcomeReason());
            return outcome;
        } else {
            outcome = ((Parking.Expiry.Failed) expiry).outcome();
        }
        ledger.closeParked(partition, entry, outcome);
        log.info("command {} step {}: {} unavailable for its validity, {}", request.getCommandId(), request.getStep(),
                request.getChannel(), outcome.getOutcomeReason());
        return outcome;
    }

    /**
     * The outcome of a send the ledger already has, republished, never resent: its result, or its PENDING outcome
     * while it is in doubt.
     */
    private static DispatchOutcome settled(SendLedgerEntry entry) {
        if (ownedByParking(entry)) {
            // Parked, or its retry under way: the partition's ParkedSends owns it; its PENDING outcome again.
            return entry.getOutcome();
        }
        if (SendLedger.done(entry)) {
            log.info("command {} step {} already done; duplicate suppressed, outcome republished",
                    entry.getCommandId(), entry.getStep());
            return entry.getOutcome();
        }
        log.info("command {} step {} in doubt, waiting for a status; not resent, outcome republished",
                entry.getCommandId(), entry.getStep());
        return SendReconciler.pending(entry);
    }

    /** A send found SENDING (begun before a restart, never resolved): in doubt, its PENDING outcome; never resent. */
    private DispatchOutcome inDoubt(int partition, SendLedgerEntry entry, SendRequest request) {
        return reconciler.inDoubt(partition, entry, costs.withCost(sender.ifAccepted(request), request));
    }

    /**
     * Parked, or a retry of it under way (SENDING with its parked data): the partition's {@link ParkedSends} owns it,
     * resolves its gap after a restart too; a redelivered request only republishes its PENDING outcome.
     */
    private static boolean ownedByParking(SendLedgerEntry entry) {
        return entry.getParked() != null && !SendLedger.done(entry) && !SendLedger.awaitingEvidence(entry);
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
