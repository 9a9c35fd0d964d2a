package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ProviderError;
import com.answerline.schemas.topic.Topics;

/** The fold's metrics, read from a {@link SimpleMeterRegistry} while the production topology runs. */
class SessionMetricsTopologyTest {

    private static final String REGISTRY_SCOPE = "session-metrics-test";
    private static final String ADA = "100000000000001:15551230001";
    private static final String BOB = "100000000000001:15551230002";
    // Whole seconds: deadlines fall on the 1 s tick grid started at WALL_CLOCK_START.
    private static final Instant T0 = Instant.parse("2026-11-20T09:15:30Z");
    private static final Instant WALL_CLOCK_START = T0.plusSeconds(10);
    private static final Duration LEAD = ProductionTopologyDriver.EXPIRING_LEAD;
    private static final Instant END = T0.plus(Duration.ofHours(24));

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ProductionTopologyDriver topology;
    private Instant wallClock;
    private TestInputTopic<String, InboundMessage> inbound;
    private TestInputTopic<String, DispatchOutcome> outcomes;
    private TestInputTopic<String, DeliveryStatus> statuses;

    @BeforeEach
    void startDriver() {
        wallClock = WALL_CLOCK_START;
        topology = new ProductionTopologyDriver(dataDir, REGISTRY_SCOPE,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Clock.fixed(WALL_CLOCK_START, ZoneOffset.UTC), meters, wallClock);
        inbound = topology.input(Topics.INBOUND_MESSAGES);
        outcomes = topology.input(Topics.DISPATCH_OUTCOMES);
        statuses = topology.input(Topics.DELIVERY_STATUSES);
    }

    @AfterEach
    void closeDriver() {
        topology.close();
    }

    @Test
    void shouldCountOpenExpiringAndClosedUnansweredWindowsAsTheTimersAnnounceThem() {
        // When two customers write; Ada is answered, Bob is not
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a", T0));
        inbound.pipeInput(BOB, whatsApp(BOB, "wamid.b", T0));
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a", T0));
        outcomes.pipeInput(ADA, sent(ADA, "cmd-1", "wamid.out", T0.plusSeconds(5)));

        // Then two windows are open, none expiring
        assertThat(gauge(SessionMetrics.OPEN_WINDOWS)).isEqualTo(2.0);
        assertThat(gauge(SessionMetrics.EXPIRING_WINDOWS)).isZero();

        // When the wall clock reaches end - lead
        advanceTo(END.minus(LEAD));

        // Then both are expiring, and one of them (Bob's) unanswered
        assertThat(gauge(SessionMetrics.EXPIRING_WINDOWS)).isEqualTo(2.0);
        assertThat(gauge(SessionMetrics.EXPIRING_UNANSWERED_WINDOWS)).isEqualTo(1.0);
        assertThat(gauge(SessionMetrics.OPEN_WINDOWS)).isEqualTo(2.0);

        // When the end comes
        advanceTo(END);

        // Then none is open; Bob's closed unanswered, once
        assertThat(gauge(SessionMetrics.OPEN_WINDOWS)).isZero();
        assertThat(gauge(SessionMetrics.EXPIRING_WINDOWS)).isZero();
        assertThat(gauge(SessionMetrics.EXPIRING_UNANSWERED_WINDOWS)).isZero();
        assertThat(meters.counter(SessionMetrics.CLOSED_UNANSWERED, "tenant", "demo").count()).isEqualTo(1.0);

        // When Ada writes again: a new window
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a2", END.plusSeconds(60)));
        assertThat(gauge(SessionMetrics.OPEN_WINDOWS)).isEqualTo(1.0);
    }

    @Test
    void shouldStopCountingAnExpiringWindowAsUnansweredOnceTheCustomerIsAnswered() {
        // Given a customer waiting in the window's last hour
        inbound.pipeInput(BOB, whatsApp(BOB, "wamid.b", T0));
        advanceTo(END.minus(LEAD));
        assertThat(gauge(SessionMetrics.EXPIRING_UNANSWERED_WINDOWS)).isEqualTo(1.0);

        // When an agent's reply goes out
        outcomes.pipeInput(BOB, sent(BOB, "cmd-2", "wamid.out2", END.minus(LEAD).plusSeconds(5)));

        // Then the window still expires, but nobody is waiting any more
        assertThat(gauge(SessionMetrics.EXPIRING_WINDOWS)).isEqualTo(1.0);
        assertThat(gauge(SessionMetrics.EXPIRING_UNANSWERED_WINDOWS)).isZero();
    }

    @Test
    void shouldKeepARenewedWindowCountedOnceAndItsWarningWithdrawn() {
        // Given a window announced expiring
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a", T0));
        advanceTo(END.minus(LEAD));
        assertThat(gauge(SessionMetrics.EXPIRING_WINDOWS)).isEqualTo(1.0);

        // When the customer renews it
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a2", END.minus(LEAD).plusSeconds(1)));

        // Then it is one open window, no longer expiring
        assertThat(gauge(SessionMetrics.OPEN_WINDOWS)).isEqualTo(1.0);
        assertThat(gauge(SessionMetrics.EXPIRING_WINDOWS)).isZero();
    }

    @Test
    void shouldRecordTheFirstResponseTimeOnce() {
        // When a customer is answered 90 s after writing (the outcome redelivered)
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a", T0));
        outcomes.pipeInput(ADA, sent(ADA, "cmd-1", "wamid.out", T0.plusSeconds(90)));
        outcomes.pipeInput(ADA, sent(ADA, "cmd-1", "wamid.out", T0.plusSeconds(90)));

        // Then one first response of 90 s (its histogram buckets show in Prometheus: SessionServiceIT)
        Timer firstResponse = meters.get(SessionMetrics.FIRST_RESPONSE).tag("tenant", "demo").timer();
        assertThat(firstResponse.count()).isEqualTo(1);
        assertThat(firstResponse.totalTime(TimeUnit.SECONDS)).isEqualTo(90.0);
    }

    @Test
    void shouldRecordAFirstResponseAgainWhenALate131047MadeTheFallbackTheRealAnswer() {
        // Given a reply that failed late with 131047
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a", T0));
        outcomes.pipeInput(ADA, sent(ADA, "cmd-1", "wamid.out", T0.plusSeconds(90)));
        statuses.pipeInput(ADA, failed131047("wamid.out", T0.plusSeconds(92)));

        // When the SMS fallback goes out
        outcomes.pipeInput(ADA, sent(ADA, "cmd-1", "SM1", T0.plusSeconds(100)));

        // Then the fallback's response time is recorded too
        Timer firstResponse = meters.get(SessionMetrics.FIRST_RESPONSE).tag("tenant", "demo").timer();
        assertThat(firstResponse.count()).isEqualTo(2);
        assertThat(firstResponse.max(TimeUnit.SECONDS)).isEqualTo(100.0);
    }

    @Test
    void shouldCountAWindowClosedUnansweredOnceWhenItsAnswerFailedAfterTheEnd() {
        // Given a reply sent five seconds before the window's end
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a", T0));
        outcomes.pipeInput(ADA, sent(ADA, "cmd-1", "wamid.out", END.minusSeconds(5)));

        // When WhatsApp reports it failed with 131047 after the end (the report is read ten minutes before this
        // instance's CLOSED tick: its clock is behind WhatsApp's, within the upstream guard's skew), and then the tick comes
        advanceTo(END.minus(Duration.ofMinutes(10)));
        statuses.pipeInput(ADA, failed131047("wamid.out", END.plusSeconds(1)));
        assertThat(meters.counter(SessionMetrics.CLOSED_UNANSWERED, "tenant", "demo").count()).isEqualTo(1.0);
        advanceTo(END);

        // Then the window counts as closed unanswered, once
        assertThat(meters.counter(SessionMetrics.CLOSED_UNANSWERED, "tenant", "demo").count()).isEqualTo(1.0);
        assertThat(gauge(SessionMetrics.OPEN_WINDOWS)).isZero();
    }

    @Test
    void shouldRecordFoldLagPerEventTypeAndTheTickDuration() {
        // When a message sent 10 s before the fold's clock and an outcome 4 s before it are folded
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a", WALL_CLOCK_START.minusSeconds(10)));
        outcomes.pipeInput(ADA, sent(ADA, "cmd-1", "wamid.out", WALL_CLOCK_START.minusSeconds(4)));

        // Then the lag is recorded by event type
        assertThat(meters.get(SessionMetrics.FOLD_LAG).tag("event", "customer_message").timer()
                .max(TimeUnit.SECONDS)).isEqualTo(10.0);
        assertThat(meters.get(SessionMetrics.FOLD_LAG).tag("event", "reply_outcome").timer()
                .max(TimeUnit.SECONDS)).isEqualTo(4.0);

        // When two ticks run
        long ticksBefore = meters.get(SessionMetrics.TIMER_TICK).timer().count();
        advanceTo(wallClock.plusSeconds(1));
        advanceTo(wallClock.plusSeconds(1));

        // Then both were timed
        assertThat(meters.get(SessionMetrics.TIMER_TICK).timer().count()).isEqualTo(ticksBefore + 2);
    }

    @Test
    void shouldReportTheStoredSessionsAfterATick() {
        // When two conversations are folded and a tick runs
        inbound.pipeInput(ADA, whatsApp(ADA, "wamid.a", T0));
        inbound.pipeInput(BOB, whatsApp(BOB, "wamid.b", T0));
        advanceTo(wallClock.plusSeconds(1));

        // Then the (estimated) store size says so
        assertThat(meters.get(SessionMetrics.STORED_SESSIONS).gauge().value()).isEqualTo(2.0);
    }

    private double gauge(String name) {
        return meters.get(name).tag("tenant", "demo").gauge().value();
    }

    private void advanceTo(Instant instant) {
        topology.driver().advanceWallClockTime(Duration.between(wallClock, instant));
        wallClock = instant;
    }

    private static InboundMessage whatsApp(String conversation, String wamid, Instant sentAt) {
        return ProductionTopologyDriver.whatsApp(conversation, wamid, sentAt).setConversationId(conversation).build();
    }

    private static DeliveryStatus failed131047(String providerMessageId, Instant at) {
        return DeliveryStatus.newBuilder().setTenantId("demo").setConversationId(ADA)
                .setPhoneNumberId("100000000000001").setChannel(Channel.WHATSAPP).setProviderMessageId(providerMessageId)
                .setStatus(DeliveryState.FAILED).setErrors(List.of(ProviderError.newBuilder().setCode(131047).build()))
                .setOccurredAt(at).setReceivedAt(at.plusSeconds(1)).build();
    }

    private static DispatchOutcome sent(String conversation, String commandId, String providerMessageId, Instant at) {
        return DispatchOutcome.newBuilder().setCommandId(commandId).setTenantId("demo").setConversationId(conversation)
                .setStatus(OutcomeStatus.SENT).setChannel(providerMessageId.startsWith("SM") ? Channel.SMS
                        : Channel.WHATSAPP)
                .setReason("WINDOW_OPEN").setProviderMessageId(providerMessageId).setFinal$(true).setOccurredAt(at)
                .build();
    }
}
