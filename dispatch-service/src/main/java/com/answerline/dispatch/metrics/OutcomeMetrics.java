package com.answerline.dispatch.metrics;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.DispatchOutcome;

/**
 * Counts every outcome that reached the outcome topic (read_committed), whichever part of dispatch wrote it:
 * {@code answerline_dispatch_outcomes_total{tenant,channel,status,reason}}. Counting committed records, not
 * attempts, keeps Streams' re-processing after a failure out of the figures.
 */
@Component
class OutcomeMetrics {

    static final String OUTCOMES = "answerline.dispatch.outcomes";

    private final MeterRegistry registry;

    OutcomeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @KafkaListener(id = "dispatch-outcome-metrics",
            topics = "#{T(com.answerline.schemas.topic.Topics).DISPATCH_OUTCOMES.name()}",
            properties = "auto.offset.reset=latest")
    void count(DispatchOutcome outcome) {
        Counter.builder(OUTCOMES)
                .description("Reply command outcomes by tenant, channel, status and reason")
                .tag("tenant", outcome.getTenantId())
                .tag("channel", outcome.getChannel() == null ? "NONE" : outcome.getChannel().name())
                .tag("status", outcome.getStatus().name())
                .tag("reason", outcome.getReason())
                .register(registry)
                .increment();
    }
}
