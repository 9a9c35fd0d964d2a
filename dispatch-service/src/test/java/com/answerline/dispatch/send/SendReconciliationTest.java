package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendState;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.schemas.topic.Topics;

/**
 * In-doubt sends reconciled from the statuses that name them (issue 18 item 2): the listener, the ledger, the
 * reconciler and the deadline together, the provider a mock sender (the lost answer itself: {@code ReconcileIT}).
 */
class SendReconciliationTest {

    static final Instant NOW = ReplySenderTest.NOW;
    static final int PARTITION = 4;
    static final Duration DEADLINE = Duration.ofMinutes(5);

    final InMemoryLedgerLog log = new InMemoryLedgerLog();
    final MutableClock clock = new MutableClock(NOW);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<DispatchOutcome> published = new CopyOnWriteArrayList<>();
    @SuppressWarnings("unchecked")
    final KafkaTemplate<String, DispatchOutcome> template = mock(KafkaTemplate.class);
    final ReplySender sender = mock(ReplySender.class);
    final SendRequest request = ReplySenderTest.request(FallbackPolicy.SMS);
    /** What the sender knows of the reply if WhatsApp took it: SENT, no wamid. */
    final DispatchOutcome ifAccepted = DispatchOutcome.newBuilder(SendLedgerTest.sent(request))
            .setProviderMessageId(null).setExplanation(request.getExplanation()).setRenderedText(request.getText())
            .setAgentId("agent-7").build();
    long offset;
    /** The ledger of the last process made (the deadline's too). */
    SendLedger ledger;
    UnknownSendDeadline deadline;

    @BeforeEach
    void start() {
        when(template.send(any(String.class), any(String.class), any(DispatchOutcome.class))).thenAnswer(call -> {
            published.add(call.getArgument(2));
            return CompletableFuture.completedFuture(null);
        });
        when(sender.sendOrReport(argThat(r -> r != null && r.getStep() == SendStep.REPLY))).thenThrow(new InDoubtSendException(ifAccepted));
    }

    /** A fresh process: new memory, the same ledger log. */
    SendRequestListener process() {
        ChannelDecider decider = new ChannelDecider(clock, Duration.ofSeconds(60));
        ledger = new SendLedger(log);
        deadline = new UnknownSendDeadline(ledger, template, clock, meters);
        return new SendRequestListener(sender, ledger,
                new DeliveryFailover(decider, ProductionConfig.tenants()::rules, clock, Duration.ofHours(24)),
                ProductionConfig.outcomeCosts(), template, clock, Runnable::run, ProductionConfig.senderProperties(), ObservationRegistry.NOOP,
                ProductionConfig.upstreamGuard(clock), new SendReconciler(ledger, clock, DEADLINE, meters), deadline,
                ParkingTest.parking(clock), new ParkedSendMetrics(meters));
    }

    void deliver(SendRequestListener listener, SendRequest send) throws Exception {
        listener.onSendRequest(new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), PARTITION, offset++,
                send.getConversationId(), send));
    }

    void deliver(SendRequestListener listener, DeliveryStatus status) throws Exception {
        listener.onDeliveryStatus(new ConsumerRecord<>(Topics.DELIVERY_STATUSES.name(), PARTITION, offset++,
                status.getConversationId(), status));
    }

    /** A status that names the REPLY of cmd-1 (its reference echoed by the provider). */
    static DeliveryStatus named(String wamid, DeliveryState state, Integer code) {
        return DeliveryStatus.newBuilder(DeliveryFailoverTest.status(wamid, state, code))
                .setCommandId("cmd-1").setStep(SendStep.REPLY).build();
    }

    double reconciliations(String result) {
        return meters.get(SendReconciler.METRIC).tag("result", result).counter().count();
    }

    @Test
    void shouldPublishPendingSendStateUnknownAndNeverResendWhenTheAnswerIsLost() throws Exception {
        // Given a reply whose provider answer was lost
        SendRequestListener listener = process();
        deliver(listener, request);

        // When the request is delivered again, also to a restarted process
        deliver(listener, request);
        deliver(process(), request);

        // Then the provider was called once, and the agent sees the same PENDING SEND_STATE_UNKNOWN three times
        verify(sender, times(1)).sendOrReport(any());
        assertThat(published).hasSize(3).allSatisfy(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.PENDING);
            assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
            assertThat(outcome.getReason()).isEqualTo("SEND_STATE_UNKNOWN");
            assertThat(outcome.getFinal$()).isFalse();
            assertThat(outcome.getEstimatedCost()).isNull();
            assertThat(outcome).isEqualTo(published.get(0));
        });
        // And the ledger holds it in doubt until the deadline, with the outcome it gets if accepted, priced
        assertThat(log.appended).extracting(a -> a.entry().getState()).containsExactly(SendState.SENDING, SendState.SENDING);
        assertThat(log.appended.get(1).entry().getSettleBy()).isEqualTo(NOW.plus(DEADLINE));
        assertThat(log.appended.get(1).entry().getIfAccepted().getEstimatedCost()).isNotNull();
        assertThat(reconciliations("in_doubt")).isEqualTo(1);
    }

    @Test
    void shouldSettleAnInDoubtSendAsSentWithTheMessageIdOfTheStatusThatNamesIt() throws Exception {
        // Given an in-doubt reply
        SendRequestListener listener = process();
        deliver(listener, request);
        clock.advance(Duration.ofSeconds(3));

        // When WhatsApp reports it delivered, naming the send by command and step
        deliver(listener, named("wamid.LOST", DeliveryState.DELIVERED, null));

        // Then it is SENT, final, with the wamid from the status and the text and cost of the send; logged DONE first
        DispatchOutcome settled = published.get(1);
        assertThat(settled.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(settled.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
        assertThat(settled.getFinal$()).isTrue();
        assertThat(settled.getProviderMessageId()).isEqualTo("wamid.LOST");
        assertThat(settled.getRenderedText()).isEqualTo("Your parcel left today.");
        assertThat(settled.getEstimatedCost()).isNotNull();
        assertThat(settled.getAgentId()).isEqualTo("agent-7");
        assertThat(log.appended).last().satisfies(a -> {
            assertThat(a.entry().getState()).isEqualTo(SendState.DONE);
            assertThat(a.entry().getOutcome()).isEqualTo(settled);
        });
        assertThat(reconciliations("settled_sent")).isEqualTo(1);

        // And the request delivered again republishes SENT, never sends
        deliver(process(), request);
        assertThat(published).last().isEqualTo(settled);
        verify(sender, times(1)).sendOrReport(any());
    }

    @Test
    void shouldSettleASendWhoseStatusCameBeforeItsRedeliveredRequestFoundItInDoubt() throws Exception {
        // Given an instance that logged the reply SENDING and died before the provider's answer was logged
        new SendLedger(log).sending(PARTITION, request, NOW);
        when(sender.ifAccepted(request)).thenReturn(ifAccepted);
        SendRequestListener successor = process();

        // When its successor reads the send's "sent" status first, then the redelivered request
        deliver(successor, named("wamid.EARLY", DeliveryState.SENT, null));
        deliver(successor, request);

        // Then the send is settled SENT at once with the status's wamid (no PENDING, no deadline), and never resent
        assertThat(published).singleElement().satisfies(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
            assertThat(outcome.getFinal$()).isTrue();
            assertThat(outcome.getProviderMessageId()).isEqualTo("wamid.EARLY");
        });
        assertThat(log.appended).last().satisfies(a -> assertThat(a.entry().getState()).isEqualTo(SendState.DONE));
        assertThat(reconciliations("settled_sent")).isEqualTo(1);
        verify(sender, times(0)).sendOrReport(any());
    }

    @Test
    void shouldLeaveAnEarlyFailedStatusToTheUsualPathAndWaitForEvidence() throws Exception {
        // Given the same crash, and the early status a failure
        new SendLedger(log).sending(PARTITION, request, NOW);
        when(sender.ifAccepted(request)).thenReturn(ifAccepted);
        SendRequestListener successor = process();

        // When the successor reads the failed status first, then the redelivered request
        deliver(successor, named("wamid.EARLY", DeliveryState.FAILED, 131000));
        deliver(successor, request);

        // Then the send is in doubt as before (PENDING SEND_STATE_UNKNOWN until a status or its deadline)
        assertThat(published).singleElement().satisfies(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.PENDING);
            assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
        });
    }

    @Test
    void shouldChangeNothingFinalWhenTheStatusComesTwiceOrAnotherFollows() throws Exception {
        // Given an in-doubt reply settled by its "sent" status
        SendRequestListener listener = process();
        deliver(listener, request);
        deliver(listener, named("wamid.LOST", DeliveryState.SENT, null));
        DispatchOutcome settled = published.get(1);
        int logged = log.appended.size();

        // When the same status comes again, then "delivered" and "read", also to a restarted process
        deliver(listener, named("wamid.LOST", DeliveryState.SENT, null));
        deliver(process(), named("wamid.LOST", DeliveryState.DELIVERED, null));
        deliver(listener, named("wamid.LOST", DeliveryState.READ, null));

        // Then nothing is written, and only the settled outcome is published again, identical (it may have been lost
        // between the ledger and the topic)
        assertThat(log.appended).hasSize(logged);
        assertThat(published.subList(1, published.size())).hasSize(4).allSatisfy(o -> assertThat(o).isEqualTo(settled));
        assertThat(reconciliations("settled_sent")).isEqualTo(1);
    }

    @Test
    void shouldEndAnInDoubtSendFailedWithTheCodeWhenItsStatusFailedWithoutAFailover() throws Exception {
        // Given an in-doubt reply
        SendRequestListener listener = process();
        deliver(listener, request);

        // When WhatsApp reports it failed, 131049 (Meta chose not to deliver: no failover for that)
        deliver(listener, named("wamid.LOST", DeliveryState.FAILED, 131049));

        // Then it is FAILED with the code, final, and nothing else is sent
        assertThat(published).last().satisfies(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
            assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WHATSAPP_ERROR);
            assertThat(outcome.getErrorCode()).isEqualTo(131049);
            assertThat(outcome.getProviderMessageId()).isEqualTo("wamid.LOST");
            assertThat(outcome.getFinal$()).isTrue();
            assertThat(outcome.getEstimatedCost()).isNull();
        });
        verify(sender, times(1)).sendOrReport(any());
        assertThat(reconciliations("settled_failed")).isEqualTo(1);
    }

    @Test
    void shouldFailOverAnInDoubtReplyWhoseStatusNamingItFailedWith131047() throws Exception {
        // Given an in-doubt WhatsApp reply, and an SMS fallback the provider takes
        DispatchOutcome sms = DispatchOutcome.newBuilder(SendLedgerTest.sent(request)).setStep(SendStep.FAILOVER)
                .setChannel(Channel.SMS).setProviderMessageId("SM1").setOutcomeReason(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK)
                .setReason("DELIVERY_FAILED_SMS_FALLBACK").build();
        when(sender.sendOrReport(argThat(r -> r != null && r.getStep() == SendStep.FAILOVER))).thenReturn(ReplySender.Result.of(sms));
        SendRequestListener listener = process();
        deliver(listener, request);

        // When its status names it and says FAILED 131047 (the window closed), twice
        deliver(listener, named("wamid.LOST", DeliveryState.FAILED, 131047));
        deliver(listener, named("wamid.LOST", DeliveryState.FAILED, 131047));

        // Then it is settled SENT (WhatsApp took it), then the one FAILOVER send goes, as for any SENT reply
        assertThat(published.get(1).getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(published.get(1).getProviderMessageId()).isEqualTo("wamid.LOST");
        assertThat(published.get(2).getStep()).isEqualTo(SendStep.FAILOVER);
        assertThat(published.get(2).getChannel()).isEqualTo(Channel.SMS);
        verify(sender, times(1)).sendOrReport(argThat(r -> r != null && r.getStep() == SendStep.FAILOVER));
        assertThat(published.stream().filter(o -> o.getStep() == SendStep.FAILOVER)).hasSize(2)
                .allSatisfy(o -> assertThat(o).isEqualTo(published.get(2)));
    }

    @Test
    void shouldFailOverASentReplyMatchedByCommandIdWhateverRecipientTheStatusNames() throws Exception {
        // Given a reply WhatsApp accepted (wamid.A) for a customer addressed by phone
        DispatchOutcome sent = DispatchOutcome.newBuilder(ifAccepted).setProviderMessageId("wamid.A").build();
        when(sender.sendOrReport(argThat(r -> r != null && r.getStep() == SendStep.REPLY))).thenReturn(ReplySender.Result.of(sent));
        when(sender.sendOrReport(argThat(r -> r != null && r.getStep() == SendStep.FAILOVER))).thenReturn(ReplySender.Result.of(
                DispatchOutcome.newBuilder(sent).setStep(SendStep.FAILOVER).setChannel(Channel.SMS).build()));
        SendRequestListener listener = process();
        deliver(listener, request);

        // When its failed status names it by command, but reports the customer by BSUID only
        deliver(listener, DeliveryStatus.newBuilder(named("wamid.A", DeliveryState.FAILED, 131026))
                .setRecipientPhone(null).setRecipientBsuid("US.13491208655302741918").build());

        // Then the one failover goes, to the phone of the conversation
        verify(sender).sendOrReport(argThat(r -> r != null && r.getStep() == SendStep.FAILOVER
                && "4915112345678".equals(r.getRecipientPhone())));
    }

    @Test
    void shouldEndAnInDoubtSendFailedSendStateUnknownAtItsDeadlineAndKeepItSo() throws Exception {
        // Given an in-doubt reply and no status
        deliver(process(), request);

        // When the deadline is checked before and at its time, by a restarted process
        SendRequestListener restarted = process();
        clock.advance(DEADLINE.minusSeconds(1));
        int early = deadline.expire(List.of(PARTITION));
        clock.advance(Duration.ofSeconds(1));
        int due = deadline.expire(List.of(PARTITION));
        int again = deadline.expire(List.of(PARTITION, 1));

        // Then it ends once, FAILED SEND_STATE_UNKNOWN, final, at its deadline, and nothing was resent
        assertThat(List.of(early, due, again)).containsExactly(0, 1, 0);
        DispatchOutcome expired = published.get(1);
        assertThat(expired.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(expired.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
        assertThat(expired.getFinal$()).isTrue();
        assertThat(expired.getOccurredAt()).isEqualTo(NOW.plus(DEADLINE));
        assertThat(expired.getRenderedText()).isEqualTo("Your parcel left today.");
        assertThat(reconciliations("deadline_unknown")).isEqualTo(1);
        verify(sender, times(1)).sendOrReport(any());

        // And a "delivered" that comes after the deadline changes nothing; it is counted as late evidence
        deliver(restarted, named("wamid.LOST", DeliveryState.DELIVERED, null));
        deliver(restarted, request);
        assertThat(published).hasSize(3).last().isEqualTo(expired);
        assertThat(reconciliations("late_evidence")).isEqualTo(1);
        assertThat(log.appended).last().satisfies(a -> assertThat(a.entry().getOutcome()).isEqualTo(expired));
    }

    @Test
    void shouldIgnoreAStatusNamingASendThisLedgerDoesNotKnow() throws Exception {
        // Given an in-doubt reply
        SendRequestListener listener = process();
        deliver(listener, request);

        // When statuses name another command, or another step of it
        deliver(listener, DeliveryStatus.newBuilder(named("wamid.X", DeliveryState.DELIVERED, null)).setCommandId("cmd-2").build());
        deliver(listener, DeliveryStatus.newBuilder(named("wamid.X", DeliveryState.DELIVERED, null)).setStep(SendStep.FAILOVER).build());

        // Then the reply stays in doubt: nothing written, nothing published
        assertThat(published).hasSize(1);
        assertThat(log.appended).hasSize(2);
        assertThat(SendLedger.awaitingEvidence(ledger.entryOf(PARTITION, "cmd-1"))).isTrue();
    }
}
