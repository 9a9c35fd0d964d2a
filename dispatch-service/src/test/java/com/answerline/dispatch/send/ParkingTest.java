package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ParkedSend;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;

class ParkingTest {

    static final Instant NOW = ReplySenderTest.NOW;
    /** Tests' schedule: no jitter, 1 s doubling up to 8 s. */
    static final Parking.Backoff BACKOFF = new Parking.Backoff(Duration.ofSeconds(1), 2.0, 0, Duration.ofSeconds(8));

    final MutableClock clock = new MutableClock(NOW);
    final Parking parking = parking(clock);

    /** The rules with the production tenants (demo: 15 minutes validity, policy SMS) and the tests' schedule. */
    static Parking parking(Clock clock) {
        return new Parking(new ChannelDecider(clock, Duration.ofSeconds(60)), ProductionConfig.tenants()::rules, clock, BACKOFF);
    }

    static ReplySender.Unavailable unavailable(SendRequest request, Duration retryAfter) {
        return new ReplySender.Unavailable(request, retryAfter, "http_500");
    }

    @Test
    void shouldWaitTheBackoffDoublingUpToItsMaximumBetweenAttempts() {
        SendRequest request = ReplySenderTest.request(FallbackPolicy.SMS);

        ParkedSend parked = parking.first(unavailable(request, null), 0);
        assertThat(parked.getAttempts()).isEqualTo(1);
        assertThat(parked.getNextAttemptAt()).isEqualTo(NOW.plusSeconds(1));
        for (long wait : new long[] {2, 4, 8, 8}) {
            parked = parking.again(parked, unavailable(request, null));
            assertThat(parked.getNextAttemptAt()).isEqualTo(NOW.plusSeconds(wait));
        }
        assertThat(parked.getAttempts()).isEqualTo(5);
    }

    @Test
    void shouldNotRetryBeforeTheProvidersRetryAfter() {
        ParkedSend parked = parking.first(unavailable(ReplySenderTest.request(FallbackPolicy.SMS), Duration.ofSeconds(30)), 0);

        assertThat(parked.getNextAttemptAt()).isEqualTo(NOW.plusSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        assertThat(parking.due(parked)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(parking.due(parked)).isTrue();
    }

    @Test
    void shouldCountTheTenantsValidityFromTheFirstAttempt() {
        ParkedSend parked = parking.first(unavailable(ReplySenderTest.request(FallbackPolicy.SMS), null), 0);
        clock.advance(Duration.ofMinutes(10));
        parked = parking.again(parked, unavailable(parked.getRequest(), null));

        assertThat(parked.getValidUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        clock.set(NOW.plus(Duration.ofMinutes(15)).minusMillis(1));
        assertThat(parking.expired(parked)).isFalse();
        clock.set(NOW.plus(Duration.ofMinutes(15)));
        assertThat(parking.expired(parked)).isTrue();
    }

    @Test
    void shouldNeverLetAFreeFormReplyWaitPastTheWindowsEndMinusTheSafetyMargin() {
        // The window closes in 10 minutes: WhatsApp would refuse the free-form text after it (131047).
        SendRequest request = window(ReplySenderTest.request(FallbackPolicy.SMS), NOW.plus(Duration.ofMinutes(10)));

        ParkedSend parked = parking.first(unavailable(request, null), 0);

        assertThat(parked.getValidUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(10)).minusSeconds(60));
        // A template may go outside the window: only the tenant's validity bounds it.
        SendRequest template = SendRequest.newBuilder(request).setChannel(Channel.WHATSAPP_TEMPLATE).build();
        assertThat(parking.first(unavailable(template, null), 0).getValidUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void shouldShowTheAgentPendingWaitingForTheProviderUntilTheValidityEnds() {
        ParkedSend parked = parking.first(unavailable(ReplySenderTest.request(FallbackPolicy.SMS), null), 0);

        DispatchOutcome pending = parking.pending(parked);

        assertThat(pending.getStatus()).isEqualTo(OutcomeStatus.PENDING);
        assertThat(pending.getFinal$()).isFalse();
        assertThat(pending.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_WAITING);
        assertThat(pending.getReason()).isEqualTo("PROVIDER_UNAVAILABLE_WAITING");
        assertThat(pending.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(pending.getValidUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(pending.getStep()).isEqualTo(SendStep.REPLY);
        assertThat(pending.getAgentId()).isEqualTo("agent-7");
    }

    @Test
    void shouldFailAWhatsAppReplyOverToTheSmsWithTheLinkWhenItsValidityRunsOut() {
        ParkedSend parked = parking.first(unavailable(ReplySenderTest.request(FallbackPolicy.SMS), null), 3);
        clock.advance(Duration.ofMinutes(15));

        Parking.Expiry expiry = parking.expire(parked);

        assertThat(expiry).isInstanceOfSatisfying(Parking.Expiry.FailOver.class, failover -> {
            SendRequest sms = failover.request();
            assertThat(sms.getStep()).isEqualTo(SendStep.FAILOVER);
            assertThat(sms.getChannel()).isEqualTo(Channel.SMS);
            assertThat(sms.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_SMS_FALLBACK);
            assertThat(sms.getText()).startsWith("Your parcel left today.").contains("https://wa.me/15550000001");
            assertThat(sms.getExplanation().getFallbackChain()).containsExactly("WHATSAPP unavailable for the reply validity", "SMS");
            assertThat(sms.getCommandId()).isEqualTo("cmd-1");
        });
    }

    @Test
    void shouldFailAWhatsAppReplyWithTheValidityReasonWhenThePolicyAllowsNoSms() {
        ParkedSend parked = parking.first(unavailable(ReplySenderTest.request(FallbackPolicy.TEMPLATE), null), 0);
        clock.advance(Duration.ofMinutes(15));

        Parking.Expiry expiry = parking.expire(parked);

        assertThat(expiry).isInstanceOfSatisfying(Parking.Expiry.Failed.class, failed -> {
            assertThat(failed.outcome().getStatus()).isEqualTo(OutcomeStatus.FAILED);
            assertThat(failed.outcome().getFinal$()).isTrue();
            assertThat(failed.outcome().getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED);
            assertThat(failed.outcome().getStep()).isEqualTo(SendStep.REPLY);
            assertThat(failed.outcome().getAttempts()).isEqualTo(1);
        });
    }

    @Test
    void shouldSendTheTemplateWhenAnSmsWaitedItsValidityOutWithTheWindowClosed() {
        SendRequest sms = SendRequest.newBuilder(window(ReplySenderTest.request(FallbackPolicy.SMS), NOW.minus(Duration.ofHours(1))))
                .setChannel(Channel.SMS).setOutcomeReason(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK).build();
        ParkedSend parked = parking.first(unavailable(sms, null), 0);
        clock.advance(Duration.ofMinutes(15));

        assertThat(parking.expire(parked)).isInstanceOfSatisfying(Parking.Expiry.FailOver.class, failover -> {
            assertThat(failover.request().getChannel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(failover.request().getTemplate().getName()).isEqualTo("customer_care_reopen");
            assertThat(failover.request().getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_TEMPLATE_FALLBACK);
        });
    }

    @Test
    void shouldNeverFailAFailoverOverAgain() {
        SendRequest failover = SendRequest.newBuilder(ReplySenderTest.request(FallbackPolicy.SMS))
                .setStep(SendStep.FAILOVER).build();
        ParkedSend parked = parking.first(unavailable(failover, null), 0);
        clock.advance(Duration.ofMinutes(15));

        assertThat(parking.expire(parked)).isInstanceOfSatisfying(Parking.Expiry.Failed.class, failed ->
                assertThat(failed.outcome().getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED));
    }

    @Test
    void shouldQueueASendBehindAParkedOneUntriedAndDueAtOnce() {
        ParkedSend behind = parking.behind(ReplySenderTest.request(FallbackPolicy.SMS), 4);

        assertThat(behind.getAttempts()).isZero();
        assertThat(behind.getQueuePosition()).isEqualTo(4);
        assertThat(parking.due(behind)).isTrue();
        assertThat(behind.getValidUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    static SendRequest window(SendRequest request, Instant expiresAt) {
        DecisionExplanation explanation = DecisionExplanation.newBuilder(request.getExplanation())
                .setWindowExpiresAt(expiresAt)
                .setWindowState(expiresAt.isAfter(NOW) ? WindowState.OPEN : WindowState.CLOSED)
                .setFallbackChain(List.of())
                .build();
        return SendRequest.newBuilder(request).setExplanation(explanation).build();
    }
}
