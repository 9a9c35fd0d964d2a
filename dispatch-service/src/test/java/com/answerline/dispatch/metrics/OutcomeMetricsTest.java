package com.answerline.dispatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.answerline.avro.Channel;
import com.answerline.avro.CostEstimate;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.avro.WindowState;

class OutcomeMetricsTest {

    static final String PHONE = "4915112345678";
    static final String CONVERSATION = "100000000000001:" + PHONE;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final OutcomeMetrics metrics = new OutcomeMetrics(registry);
    int commands;

    @Test
    void shouldCountOneDecisionPerCommandByChannelAndReason() {
        metrics.count(outcome(OutcomeStatus.PENDING, null, "WAITING_FOR_SESSION").setFinal$(false).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN").build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN").build());
        metrics.count(outcome(OutcomeStatus.REJECTED, null, "WINDOW_CLOSED").build());
        metrics.count(outcome(OutcomeStatus.HELD, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_ANSWER_HELD")
                .setStep(SendStep.HOLD_INVITATION).setFinal$(false).build());
        // not decisions: what became of a held answer, and a failover after a decision
        metrics.count(outcome(OutcomeStatus.EXPIRED, null, "HOLD_EXPIRED").setStep(SendStep.HOLD_INVITATION).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "HELD_ANSWER_RELEASED").setStep(SendStep.HELD_ANSWER).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "DELIVERY_FAILED_SMS_FALLBACK").setStep(SendStep.FAILOVER).build());

        assertThat(count(OutcomeMetrics.DECISIONS, "channel", "WHATSAPP", "reason", "WINDOW_OPEN")).isEqualTo(2);
        assertThat(count(OutcomeMetrics.DECISIONS, "channel", "NONE", "reason", "WINDOW_CLOSED")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.DECISIONS, "channel", "WHATSAPP_TEMPLATE", "reason", "WINDOW_CLOSED_ANSWER_HELD")).isEqualTo(1);
        assertThat(total(OutcomeMetrics.DECISIONS)).isEqualTo(4);
        assertThat(total(OutcomeMetrics.OUTCOMES)).isEqualTo(8);
    }

    @Test
    void shouldCountAParkedReplyReplacedByItsFailoverAsOneDecisionAndNotItsWait() {
        // PENDING while WhatsApp was down, its own non-final end at the validity, then the failover
        String reply = "PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED";
        metrics.count(outcome(OutcomeStatus.PENDING, Channel.WHATSAPP, "PROVIDER_UNAVAILABLE_WAITING").setFinal$(false).build());
        commands--;
        metrics.count(outcome(OutcomeStatus.FAILED, Channel.WHATSAPP, reply).setFinal$(false).build());
        commands--;
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "PROVIDER_UNAVAILABLE_SMS_FALLBACK").setStep(SendStep.FAILOVER).build());

        assertThat(count(OutcomeMetrics.DECISIONS, "channel", "WHATSAPP", "reason", reply)).isEqualTo(1);
        assertThat(total(OutcomeMetrics.DECISIONS)).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "provider_unavailable", "to", "SMS")).isEqualTo(1);
    }

    @Test
    void shouldCountFallbacksByCauseAndTarget() {
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_TEMPLATE_FALLBACK").build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "PROVIDER_WINDOW_CLOSED_SMS_FALLBACK").build());
        metrics.count(outcome(OutcomeStatus.FAILED, Channel.WHATSAPP_TEMPLATE, "PROVIDER_UNDELIVERABLE_TEMPLATE_FALLBACK").build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "DELIVERY_FAILED_SMS_FALLBACK").setStep(SendStep.FAILOVER).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "UNKNOWN_CONVERSATION_TEMPLATE").build());
        metrics.count(withChain(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_TEMPLATE_FALLBACK"),
                "AUTO->SMS", "SMS unavailable: no customer phone", "TEMPLATE").build());
        metrics.count(withChain(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_TEMPLATE_FALLBACK"),
                "SMS unavailable: not a mobile number", "TEMPLATE").build());
        metrics.count(withChain(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_TEMPLATE_FALLBACK"),
                "SMS unavailable: too long (5 segments, at most 3)", "TEMPLATE").build());
        // not fallbacks
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN").build());
        metrics.count(outcome(OutcomeStatus.REJECTED, null, "WINDOW_CLOSED").build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "TEMPLATE_REQUESTED").build());

        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "window_closed", "to", "SMS")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "window_closed", "to", "TEMPLATE")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "provider_window_closed", "to", "SMS")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "provider_undeliverable", "to", "TEMPLATE")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "delivery_failed", "to", "SMS")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "unknown_conversation", "to", "TEMPLATE")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "no_phone", "to", "TEMPLATE")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "not_mobile", "to", "TEMPLATE")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "sms_too_long", "to", "TEMPLATE")).isEqualTo(1);
        assertThat(total(OutcomeMetrics.FALLBACKS)).isEqualTo(9);
    }

    @Test
    void shouldCountWhatBecameOfHeldAnswers() {
        metrics.count(outcome(OutcomeStatus.HELD, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_ANSWER_HELD")
                .setStep(SendStep.HOLD_INVITATION).setFinal$(false).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "HELD_ANSWER_RELEASED").setStep(SendStep.HELD_ANSWER).build());
        metrics.count(outcome(OutcomeStatus.EXPIRED, null, "HOLD_EXPIRED").setStep(SendStep.HELD_ANSWER).build());
        metrics.count(outcome(OutcomeStatus.CANCELLED, null, "HOLD_CANCELLED").setStep(SendStep.HELD_ANSWER).build());
        metrics.count(outcome(OutcomeStatus.FAILED, Channel.WHATSAPP, "WHATSAPP_ERROR").setStep(SendStep.HELD_ANSWER).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN").build());

        assertThat(count(OutcomeMetrics.HELD_RESULTS, "result", "held")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.HELD_RESULTS, "result", "released")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.HELD_RESULTS, "result", "expired")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.HELD_RESULTS, "result", "cancelled")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.HELD_RESULTS, "result", "failed")).isEqualTo(1);
        assertThat(total(OutcomeMetrics.HELD_RESULTS)).isEqualTo(5);
    }

    @Test
    void shouldRecordTheSegmentsOfEverySentSmsInFixedBuckets() {
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").setSmsSegments(1).setSmsEncoding("GSM_7").build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").setSmsSegments(3).setSmsEncoding("UCS_2").build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").setSmsSegments(2).setSmsEncoding("UCS_2").build());
        // not sent, or not counted by anyone: no segments recorded
        metrics.count(outcome(OutcomeStatus.FAILED, Channel.SMS, "SMS_ERROR").setSmsSegments(4).setSmsEncoding("GSM_7").build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").build());

        var gsm = registry.get(OutcomeMetrics.SMS_SEGMENTS).tags("tenant", "demo", "encoding", "GSM_7").summary();
        var ucs = registry.get(OutcomeMetrics.SMS_SEGMENTS).tags("tenant", "demo", "encoding", "UCS_2").summary();
        assertThat(gsm.count()).isEqualTo(1);
        assertThat(ucs.count()).isEqualTo(2);
        assertThat(ucs.totalAmount()).isEqualTo(5);
        CountAtBucket[] buckets = ucs.takeSnapshot().histogramCounts();
        assertThat(Arrays.stream(buckets).map(CountAtBucket::bucket)).containsExactly(1d, 2d, 3d, 4d, 5d, 6d, 7d, 8d, 9d, 10d);
        assertThat(Arrays.stream(buckets).map(CountAtBucket::count)).containsExactly(0d, 1d, 2d, 2d, 2d, 2d, 2d, 2d, 2d, 2d);
    }

    @Test
    void shouldAddUpTheEstimatedCostInCurrencyUnitsPerTenantAndChannel() {
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").setSmsSegments(2)
                .setEstimatedCost(cost(150_000, "SMS 2 x DE")).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").setSmsSegments(1)
                .setEstimatedCost(cost(75_000, "SMS 1 x DE")).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "TEMPLATE_REQUESTED")
                .setEstimatedCost(cost(113_100, "TEMPLATE MARKETING DE")).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN").setEstimatedCost(cost(0, "FREE_FORM")).build());

        assertThat(count(OutcomeMetrics.ESTIMATED_COST, "channel", "SMS", "currency", "EUR")).isCloseTo(0.225, within());
        assertThat(count(OutcomeMetrics.ESTIMATED_COST, "channel", "WHATSAPP_TEMPLATE", "currency", "EUR")).isCloseTo(0.1131, within());
        assertThat(count(OutcomeMetrics.ESTIMATED_COST, "channel", "WHATSAPP", "currency", "EUR")).isZero();
    }

    @Test
    void shouldCountARepublishedOutcomeOnce() {
        DispatchOutcome sent = outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").setSmsSegments(2)
                .setSmsEncoding("GSM_7").setEstimatedCost(cost(150_000, "SMS 2 x DE")).build();

        // the sender's ledger republishes the same outcome on a redelivery
        metrics.count(sent);
        metrics.count(DispatchOutcome.newBuilder(sent).build());

        assertThat(total(OutcomeMetrics.OUTCOMES)).isEqualTo(1);
        assertThat(total(OutcomeMetrics.DECISIONS)).isEqualTo(1);
        assertThat(total(OutcomeMetrics.FALLBACKS)).isEqualTo(1);
        assertThat(registry.get(OutcomeMetrics.SMS_SEGMENTS).summary().count()).isEqualTo(1);
        assertThat(total(OutcomeMetrics.ESTIMATED_COST)).isCloseTo(0.15, within());
    }

    @Test
    void shouldCountTheNextStepOfTheSameCommand() {
        DispatchOutcome.Builder reply = outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN");
        metrics.count(reply.build());
        metrics.count(DispatchOutcome.newBuilder(reply.build()).setStep(SendStep.FAILOVER).setChannel(Channel.SMS)
                .setOutcomeReason(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK).setReason("DELIVERY_FAILED_SMS_FALLBACK").build());

        assertThat(total(OutcomeMetrics.OUTCOMES)).isEqualTo(2);
        assertThat(total(OutcomeMetrics.FALLBACKS)).isEqualTo(1);
    }

    @Test
    void shouldCountAnOutcomeWrittenBeforeTheReasonEnumByItsString() {
        // Given outcomes of the previous release: outcomeReason absent (UNSPECIFIED), the reason only as a string
        metrics.count(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK")
                .setOutcomeReason(OutcomeReason.UNSPECIFIED).build());
        metrics.count(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN")
                .setOutcomeReason(OutcomeReason.UNSPECIFIED).build());

        // Then they are tagged and classified as the same outcomes written today
        assertThat(count(OutcomeMetrics.DECISIONS, "channel", "SMS", "reason", "WINDOW_CLOSED_SMS_FALLBACK")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.DECISIONS, "channel", "WHATSAPP", "reason", "WINDOW_OPEN")).isEqualTo(1);
        assertThat(count(OutcomeMetrics.FALLBACKS, "cause", "window_closed", "to", "SMS")).isEqualTo(1);
        assertThat(registry.find(OutcomeMetrics.OUTCOMES).tag("reason", "UNSPECIFIED").counters()).isEmpty();
    }

    @Test
    void shouldNeverTagAConversationIdPhoneOrCommandId() {
        DispatchOutcome.Builder held = outcome(OutcomeStatus.HELD, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_ANSWER_HELD")
                .setStep(SendStep.HOLD_INVITATION).setFinal$(false).setEstimatedCost(cost(20_000, "TEMPLATE UTILITY DE"));
        metrics.count(held.build());
        metrics.count(withChain(outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK"), "AUTO->SMS", "SMS")
                .setSmsSegments(1).setSmsEncoding("GSM_7").setEstimatedCost(cost(75_000, "SMS 1 x DE")).build());

        List<Meter> meters = registry.getMeters();
        assertThat(meters).extracting(meter -> meter.getId().getName()).contains(OutcomeMetrics.OUTCOMES,
                OutcomeMetrics.DECISIONS, OutcomeMetrics.FALLBACKS, OutcomeMetrics.HELD_RESULTS,
                OutcomeMetrics.SMS_SEGMENTS, OutcomeMetrics.ESTIMATED_COST);
        List<Tag> tags = meters.stream().flatMap(meter -> meter.getId().getTags().stream()).toList();
        // ("le": the simple registry's own series of the histogram buckets)
        assertThat(tags).extracting(Tag::getKey).allMatch(key -> List.of("tenant", "channel", "status", "reason",
                "cause", "to", "result", "encoding", "currency", "le").contains(key));
        assertThat(tags).extracting(Tag::getValue).noneMatch(value -> value.contains(PHONE)
                || value.contains(CONVERSATION) || value.startsWith("cmd-"));
    }

    private DispatchOutcome.Builder outcome(OutcomeStatus status, Channel channel, String reason) {
        return DispatchOutcome.newBuilder()
                .setCommandId("cmd-" + ++commands).setTenantId("demo").setConversationId(CONVERSATION)
                .setStatus(status).setChannel(channel).setOutcomeReason(OutcomeReason.valueOf(reason)).setReason(reason)
                .setFinal$(true).setStep(SendStep.REPLY)
                .setOccurredAt(Instant.parse("2026-11-25T10:00:00Z"));
    }

    private static DispatchOutcome.Builder withChain(DispatchOutcome.Builder outcome, String... chain) {
        return outcome.setExplanation(DecisionExplanation.newBuilder().setWindowState(WindowState.CLOSED)
                .setPolicy(FallbackPolicy.AUTO).setFallbackChain(List.of(chain)).build());
    }

    private double count(String name, String... tags) {
        return registry.get(name).tag("tenant", "demo").tags(tags).counter().count();
    }

    private double total(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    private static CostEstimate cost(long micros, String basis) {
        return CostEstimate.newBuilder().setCurrency("EUR").setAmountMicros(micros).setBasis(basis).build();
    }
}
