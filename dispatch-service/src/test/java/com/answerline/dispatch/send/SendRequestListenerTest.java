package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.SerializationUtils;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendState;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.schemas.topic.Topics;

class SendRequestListenerTest {

    @SuppressWarnings("unchecked")
    final KafkaTemplate<String, DispatchOutcome> template = mock(KafkaTemplate.class);
    final ReplySender sender = mock(ReplySender.class);
    final InMemoryLedgerLog log = new InMemoryLedgerLog();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Clock clock = Clock.fixed(SendLedgerTest.NOW, ZoneOffset.UTC);
    final SendRequest request = ReplySenderTest.request(FallbackPolicy.SMS);
    final DispatchOutcome sent = SendLedgerTest.sent(request);
    /** What the listener logs and publishes for {@link #sent}: the sender's outcome with its estimated cost. */
    final DispatchOutcome priced = ProductionConfig.outcomeCosts().withCost(sent, request);

    SendRequestListener listener() {
        return listener(Runnable::run);
    }

    SendRequestListener listener(Executor workers) {
        DeliveryFailover failover = new DeliveryFailover(new ChannelDecider(clock, Duration.ofSeconds(60)),
                ProductionConfig.tenants()::rules, clock, Duration.ofHours(24));
        SendLedger ledger = new SendLedger(log);
        return new SendRequestListener(sender, ledger, failover, ProductionConfig.outcomeCosts(), template,
                clock, workers, ProductionConfig.senderProperties(), ObservationRegistry.NOOP, ProductionConfig.upstreamGuard(clock),
                new SendReconciler(ledger, clock, Duration.ofMinutes(5), meters), new UnknownSendDeadline(ledger, template, clock, meters),
                ParkingTest.parking(clock), new ParkedSendMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    ConsumerRecord<String, SendRequest> delivery(long offset) {
        return new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), 4, offset, request.getConversationId(), request);
    }

    void outcomeTopicAccepts() {
        when(template.send(any(String.class), any(String.class), any(DispatchOutcome.class)))
                .thenReturn(CompletableFuture.completedFuture(null));
    }

    @Test
    void shouldLogSendingBeforeTheProviderAndTheResultBeforePublishing() throws Exception {
        outcomeTopicAccepts();
        when(sender.sendOrReport(any())).thenAnswer(call -> {
            // The provider is called only once SENDING is in the ledger
            assertThat(log.appended).singleElement().satisfies(a -> assertThat(a.entry().getState()).isEqualTo(SendState.SENDING));
            return ReplySender.Result.of(sent);
        });
        when(template.send(any(String.class), any(String.class), any(DispatchOutcome.class))).thenAnswer(call -> {
            // The outcome is published only once the result is in the ledger
            assertThat(log.appended).hasSize(2).last().satisfies(a -> assertThat(a.entry().getOutcome()).isEqualTo(priced));
            return CompletableFuture.completedFuture(null);
        });

        listener().onSendRequest(delivery(0));

        assertThat(log.appended).allSatisfy(a -> assertThat(a.partition()).isEqualTo(4));
        verify(template).send(Topics.DISPATCH_OUTCOMES.name(), request.getConversationId(), priced);
    }

    @Test
    void shouldLogAndPublishTheOutcomeWithItsEstimatedCost() throws Exception {
        outcomeTopicAccepts();
        when(sender.sendOrReport(any())).thenReturn(ReplySender.Result.of(sent));

        listener().onSendRequest(delivery(0));

        assertThat(sent.getEstimatedCost()).isNull();
        assertThat(priced.getEstimatedCost()).as("the sender's outcome priced").isNotNull();
        assertThat(log.appended).last().satisfies(a -> assertThat(a.entry().getOutcome().getEstimatedCost()).isEqualTo(priced.getEstimatedCost()));
    }

    @Test
    void shouldMessageTheCustomerOnceWhenTheSameCommandIsDeliveredTwice() throws Exception {
        outcomeTopicAccepts();
        when(sender.sendOrReport(any())).thenReturn(ReplySender.Result.of(sent));
        SendRequestListener listener = listener();

        listener.onSendRequest(delivery(0));
        listener.onSendRequest(delivery(1));

        verify(sender, times(1)).sendOrReport(any());
        verify(template, times(2)).send(eq(Topics.DISPATCH_OUTCOMES.name()), eq(request.getConversationId()), eq(priced));
    }

    @Test
    void shouldRepublishTheLoggedOutcomeAfterARestartWithoutSendingAgain() throws Exception {
        outcomeTopicAccepts();
        when(sender.sendOrReport(any())).thenReturn(ReplySender.Result.of(sent));
        listener().onSendRequest(delivery(0));

        // When a new process (fresh ledger memory, same log) receives the request again
        listener().onSendRequest(delivery(0));

        verify(sender, times(1)).sendOrReport(any());
        verify(template, times(2)).send(eq(Topics.DISPATCH_OUTCOMES.name()), eq(request.getConversationId()), eq(priced));
    }

    @Test
    void shouldRepublishAHeldInvitationWithoutSendingItAgain() throws Exception {
        // Given an invitation (TEMPLATE_THEN_HOLD) that went out: HELD, not final
        outcomeTopicAccepts();
        SendRequest invitation = SendRequest.newBuilder(request).setStep(SendStep.HOLD_INVITATION).build();
        DispatchOutcome held = DispatchOutcome.newBuilder(sent).setStatus(OutcomeStatus.HELD).setFinal$(false)
                .setStep(SendStep.HOLD_INVITATION).build();
        when(sender.sendOrReport(any())).thenReturn(ReplySender.Result.of(held));
        ConsumerRecord<String, SendRequest> record = new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), 4, 0,
                invitation.getConversationId(), invitation);

        // When it is delivered again, also to a restarted process
        listener().onSendRequest(record);
        listener().onSendRequest(record);

        // Then the customer got one invitation, and the HELD outcome is published twice, identical
        verify(sender, times(1)).sendOrReport(any());
        verify(template, times(2)).send(eq(Topics.DISPATCH_OUTCOMES.name()), eq(invitation.getConversationId()),
                eq(ProductionConfig.outcomeCosts().withCost(held, invitation)));
        assertThat(log.appended).extracting(InMemoryLedgerLog.Appended::key).containsExactly("cmd-1", "cmd-1");
    }

    @Test
    void shouldSendTheHeldAnswerUnderItsOwnKeyAfterTheInvitation() throws Exception {
        outcomeTopicAccepts();
        when(sender.sendOrReport(any())).thenAnswer(call -> ReplySender.Result.of(DispatchOutcome.newBuilder(sent)
                .setStep(call.<SendRequest>getArgument(0).getStep()).build()));
        SendRequestListener listener = listener();
        listener.onSendRequest(delivery(0));

        SendRequest heldAnswer = SendRequest.newBuilder(request).setStep(SendStep.HELD_ANSWER).build();
        listener.onSendRequest(new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), 4, 1, heldAnswer.getConversationId(), heldAnswer));

        verify(sender, times(2)).sendOrReport(any());
        assertThat(log.appended).extracting(InMemoryLedgerLog.Appended::key)
                .containsExactly("cmd-1", "cmd-1", "cmd-1/HELD_ANSWER", "cmd-1/HELD_ANSWER");
    }

    @Test
    void shouldNotResendACommandFoundSendingButPublishPendingSendStateUnknownUntilEvidence() throws Exception {
        // Given a process logged SENDING and died before the result
        new SendLedger(log).sending(4, request, SendLedgerTest.NOW);
        outcomeTopicAccepts();
        when(sender.ifAccepted(any())).thenReturn(sent);

        // When the request is delivered again, twice (the second time to another fresh process)
        listener().onSendRequest(delivery(0));
        listener().onSendRequest(delivery(0));

        // Then the provider is not called, and both deliveries publish the same PENDING SEND_STATE_UNKNOWN, not final:
        // a status naming the send may still settle it (SendReconciliationTest)
        verify(sender, never()).sendOrReport(any());
        ArgumentCaptor<DispatchOutcome> published = ArgumentCaptor.forClass(DispatchOutcome.class);
        verify(template, times(2)).send(eq(Topics.DISPATCH_OUTCOMES.name()), eq(request.getConversationId()), published.capture());
        assertThat(published.getAllValues()).allSatisfy(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.PENDING);
            assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
            assertThat(outcome.getFinal$()).isFalse();
        });
        assertThat(published.getAllValues().get(1)).isEqualTo(published.getAllValues().get(0));
        assertThat(log.appended).hasSize(2).last().satisfies(a -> {
            assertThat(a.entry().getState()).isEqualTo(SendState.SENDING);
            assertThat(a.entry().getSettleBy()).isEqualTo(SendLedgerTest.NOW.plus(Duration.ofMinutes(5)));
            assertThat(a.entry().getIfAccepted()).isEqualTo(priced);
        });
    }

    @Test
    void shouldNotPublishWhenTheResultCannotBeLogged() {
        when(sender.sendOrReport(any())).thenReturn(ReplySender.Result.of(sent));
        log.failingAppend = 2;
        SendRequestListener listener = listener();

        assertThatThrownBy(() -> listener.onSendRequest(delivery(0)))
                .hasMessageContaining("broker gone");
        verify(template, never()).send(any(String.class), any(String.class), any(DispatchOutcome.class));
    }

    @Test
    void shouldPublishTheRealResultOnTheRetryAfterItsLedgerWriteFailed() throws Exception {
        // Given a ledger whose result write fails once (broker briefly away), then works
        outcomeTopicAccepts();
        when(sender.sendOrReport(any())).thenReturn(ReplySender.Result.of(sent));
        log.failingAppend = 2;
        SendRequestListener listener = listener();
        assertThatThrownBy(() -> listener.onSendRequest(delivery(0)));

        // When the error handler retries the same record in the same process
        listener.onSendRequest(delivery(0));

        // Then the provider was called once, the real SENT outcome is logged and published, not SEND_STATE_UNKNOWN
        verify(sender, times(1)).sendOrReport(any());
        verify(template, times(1)).send(Topics.DISPATCH_OUTCOMES.name(), request.getConversationId(), priced);
        assertThat(log.appended).last().satisfies(a -> assertThat(a.entry().getOutcome()).isEqualTo(priced));
    }

    @Test
    void shouldSendForTwoConversationsSideBySideButForEachInOrder() throws Exception {
        // Given a poll with two replies for each of two conversations, and a provider that holds the first reply of
        // conversation A until the first of conversation B has started
        outcomeTopicAccepts();
        SendRequest a1 = requestFor("100000000000001:31611111111", "a1");
        SendRequest a2 = requestFor("100000000000001:31611111111", "a2");
        SendRequest b1 = requestFor("100000000000001:31622222222", "b1");
        SendRequest b2 = requestFor("100000000000001:31622222222", "b2");
        CountDownLatch bStarted = new CountDownLatch(1);
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> aSawB = Collections.synchronizedList(new ArrayList<>());
        when(sender.sendOrReport(any())).thenAnswer(call -> {
            SendRequest sending = call.getArgument(0);
            if (sending.getCommandId().equals("b1")) {
                bStarted.countDown();
            }
            if (sending.getCommandId().equals("a1")) {
                aSawB.add(bStarted.await(10, TimeUnit.SECONDS));
            }
            sent.add(sending.getCommandId());
            return ReplySender.Result.of(DispatchOutcome.newBuilder(this.sent).setCommandId(sending.getCommandId())
                    .setConversationId(sending.getConversationId()).build());
        });
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            // When the batch is handled
            listener(workers).onBatch(List.of(record(a1, 0), record(b1, 1), record(a2, 2), record(b2, 3)));
        } finally {
            workers.shutdownNow();
        }

        // Then B went on while A waited, and each conversation's replies went out in their order
        assertThat(aSawB).containsExactly(true);
        assertThat(sent).containsExactlyInAnyOrder("a1", "a2", "b1", "b2");
        assertThat(sent.indexOf("a1")).isLessThan(sent.indexOf("a2"));
        assertThat(sent.indexOf("b1")).isLessThan(sent.indexOf("b2"));
        verify(template, times(4)).send(eq(Topics.DISPATCH_OUTCOMES.name()), any(String.class), any(DispatchOutcome.class));
    }

    @Test
    void shouldHandAnUndecodableRecordToTheErrorHandlerWithItsIndexAfterTheRecordsBeforeIt() throws Exception {
        // Given a poll whose second record could not be decoded
        outcomeTopicAccepts();
        when(sender.sendOrReport(any())).thenReturn(ReplySender.Result.of(sent));
        // (as the container's ErrorHandlingDeserializer hands it over: no value, the failure in a header)
        RecordHeaders headers = new RecordHeaders();
        try (ErrorHandlingDeserializer<Object> values = new ErrorHandlingDeserializer<>((topic, data) -> {
            throw new SerializationException("unknown magic byte");
        })) {
            assertThat(values.deserialize(Topics.SEND_REQUESTS.name(), headers, new byte[] {7})).isNull();
        }
        ConsumerRecord<String, Object> poison = new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), 4, 1, 0L,
                TimestampType.CREATE_TIME, 0, 1, request.getConversationId(), null, headers, Optional.empty());
        assertThat(poison.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER)).isNotNull();

        // When the batch is handled
        assertThatThrownBy(() -> listener().onBatch(List.of(record(request, 0), poison,
                record(SendRequest.newBuilder(request).setCommandId("cmd-2").build(), 2))))
                // Then the error handler learns which record failed (it dead-letters it and redelivers the third)
                .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> {
                    assertThat(e.getIndex()).isEqualTo(1);
                    assertThat(e.getCause()).isInstanceOf(DeserializationException.class);
                });
        // and the record before it got its outcome, the one after it (same conversation) was not sent yet
        verify(sender, times(1)).sendOrReport(any());
        verify(template).send(Topics.DISPATCH_OUTCOMES.name(), request.getConversationId(), priced);
    }

    static SendRequest requestFor(String conversationId, String commandId) {
        return SendRequest.newBuilder(ReplySenderTest.request(FallbackPolicy.SMS)).setConversationId(conversationId)
                .setCommandId(commandId).build();
    }

    static ConsumerRecord<String, Object> record(SendRequest request, long offset) {
        return new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), 4, offset, request.getConversationId(), request);
    }
}
