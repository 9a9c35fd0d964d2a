package com.answerline.dispatch.config;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import com.answerline.avro.DispatchOutcome;
import com.answerline.dispatch.send.SendLedger;
import com.answerline.dispatch.send.SendReconciler;
import com.answerline.dispatch.send.UnknownSendDeadline;

/** Reconciliation of in-doubt sends and their deadline (see {@link ReconcileProperties}). */
@Configuration(proxyBeanMethods = false)
class ReconcileConfig {

    @Bean
    SendReconciler sendReconciler(SendLedger ledger, Clock clock, ReconcileProperties reconcile, MeterRegistry meters) {
        return new SendReconciler(ledger, clock, reconcile.deadline(), meters);
    }

    @Bean
    UnknownSendDeadline unknownSendDeadline(SendLedger ledger, KafkaTemplate<String, DispatchOutcome> outcomes, Clock clock,
                                            MeterRegistry meters) {
        return new UnknownSendDeadline(ledger, outcomes, clock, meters);
    }
}
