package com.answerline.dispatch.metrics;

import java.time.Duration;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.CostEstimate;
import com.answerline.avro.DispatchOutcome;
import com.answerline.schemas.outcome.OutcomeReasons;

/**
 * The dispatch business metrics (issue 5 section 8), all counted from the outcome topic (read_committed), whichever
 * part of dispatch wrote the outcome. Counting committed records, not attempts, keeps Streams' re-processing after
 * a failure out of the figures. Tags are low-cardinality only (tenant, channel, status, reason, cause, result,
 * encoding, currency): never a conversation id, a phone number or a command id.
 *
 * <ul>
 *   <li>{@code answerline.dispatch.outcomes{tenant,channel,status,reason}}: every outcome.</li>
 *   <li>{@code answerline.dispatch.decisions{tenant,channel,reason}}: one per command decision
 *       ({@link OutcomeKinds#isDecision}).</li>
 *   <li>{@code answerline.dispatch.fallbacks{tenant,cause,to}} ({@link OutcomeKinds#fallbackOf}).</li>
 *   <li>{@code answerline.dispatch.held.answers.results{tenant,result}} ({@link OutcomeKinds#heldResultOf}).</li>
 *   <li>{@code answerline.dispatch.sms.segments{tenant,encoding}}: segments of each SMS sent, buckets 1..10.</li>
 *   <li>{@code answerline.dispatch.estimated.cost{tenant,channel,currency}}: estimated cost in currency units.</li>
 * </ul>
 *
 * <p>The sender republishes an outcome unchanged when a send request is redelivered (its ledger answers instead of
 * the provider). Such a copy is counted once: an outcome is identified by (command id, step, status, reason), and
 * the identities counted recently are kept in a bounded Caffeine set (100,000 entries, one day). A copy arriving
 * after that, or on another instance after a rebalance, is counted again; the figures are estimates, not invoices.
 */
@Component
class OutcomeMetrics {

    static final String OUTCOMES = "answerline.dispatch.outcomes";
    static final String DECISIONS = "answerline.dispatch.decisions";
    static final String FALLBACKS = "answerline.dispatch.fallbacks";
    static final String HELD_RESULTS = "answerline.dispatch.held.answers.results";
    static final String SMS_SEGMENTS = "answerline.dispatch.sms.segments";
    static final String ESTIMATED_COST = "answerline.dispatch.estimated.cost";

    private static final double[] SEGMENT_BUCKETS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    private static final double MICROS = 1_000_000d;

    private final MeterRegistry registry;
    private final Cache<String, Boolean> counted = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofDays(1))
            .build();

    OutcomeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @KafkaListener(id = "dispatch-outcome-metrics",
            topics = "#{T(com.answerline.schemas.topic.Topics).DISPATCH_OUTCOMES.name()}",
            properties = "auto.offset.reset=latest")
    void count(DispatchOutcome outcome) {
        if (counted.asMap().putIfAbsent(identity(outcome), Boolean.TRUE) != null) {
            return;
        }
        String tenant = outcome.getTenantId();
        String channel = OutcomeKinds.channelOf(outcome);
        String reason = OutcomeReasons.of(outcome).name();
        Counter.builder(OUTCOMES)
                .description("Reply command outcomes by tenant, channel, status and reason")
                .tag("tenant", tenant)
                .tag("channel", channel)
                .tag("status", outcome.getStatus().name())
                .tag("reason", reason)
                .register(registry)
                .increment();
        if (OutcomeKinds.isDecision(outcome)) {
            Counter.builder(DECISIONS)
                    .description("Reply command decisions (one per command) by tenant, channel and reason")
                    .tag("tenant", tenant)
                    .tag("channel", channel)
                    .tag("reason", reason)
                    .register(registry)
                    .increment();
        }
        OutcomeKinds.fallbackOf(outcome).ifPresent(fallback -> Counter.builder(FALLBACKS)
                .description("Replies that did not go as WhatsApp free-form, by cause and the channel they fell back to")
                .tag("tenant", tenant)
                .tag("cause", fallback.cause())
                .tag("to", fallback.to())
                .register(registry)
                .increment());
        OutcomeKinds.heldResultOf(outcome).ifPresent(result -> Counter.builder(HELD_RESULTS)
                .description("Held answers (TEMPLATE_THEN_HOLD) by what became of them")
                .tag("tenant", tenant)
                .tag("result", result)
                .register(registry)
                .increment());
        if (OutcomeKinds.isSentSms(outcome)) {
            DistributionSummary.builder(SMS_SEGMENTS)
                    .description("Segments of each SMS sent (what the provider bills)")
                    .tag("tenant", tenant)
                    .tag("encoding", outcome.getSmsEncoding() == null ? "unknown" : outcome.getSmsEncoding())
                    .serviceLevelObjectives(SEGMENT_BUCKETS)
                    .register(registry)
                    .record(outcome.getSmsSegments());
        }
        CostEstimate cost = outcome.getEstimatedCost();
        if (cost != null) {
            Counter.builder(ESTIMATED_COST)
                    .description("Estimated provider cost of what was sent, in currency units (configured price list)")
                    .tag("tenant", tenant)
                    .tag("channel", channel)
                    .tag("currency", cost.getCurrency())
                    .register(registry)
                    .increment(cost.getAmountMicros() / MICROS);
        }
    }

    /** What makes an outcome the same outcome again: a republished copy has all four equal. */
    private static String identity(DispatchOutcome outcome) {
        return outcome.getCommandId() + '\u0000' + outcome.getStep() + '\u0000' + outcome.getStatus() + '\u0000'
                + OutcomeReasons.of(outcome);
    }
}
