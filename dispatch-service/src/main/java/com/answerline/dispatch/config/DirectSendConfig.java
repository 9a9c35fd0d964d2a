package com.answerline.dispatch.config;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.DirectSendAccessEntry;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.send.DirectSendAccessEndpoint;
import com.answerline.dispatch.send.DirectSendMetrics;
import com.answerline.dispatch.send.DirectSendRefusals;
import com.answerline.dispatch.send.KafkaDirectSendAccessLog;
import com.answerline.dispatch.send.KafkaSendLedgerLog;
import com.answerline.platform.kafka.KafkaPlatformProperties;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;

/**
 * Direct Send's shared record of refusals ({@link DirectSendRefusals} on {@link Topics#DIRECT_SEND_ACCESS}), its meters
 * and the operators' endpoint. The topic is declared here, not with the conversation topics ({@code KafkaConfig}): it
 * has one partition whatever the conversation partition count, so it is not in the co-partitioning check.
 */
@Configuration(proxyBeanMethods = false)
class DirectSendConfig {

    @Bean
    KafkaAdmin.NewTopics directSendAccessTopic(KafkaPlatformProperties deployment) {
        return deployment.declarations(List.of(Topics.DIRECT_SEND_ACCESS), Optional.empty());
    }

    @Bean(destroyMethod = "close")
    KafkaDirectSendAccessLog directSendAccessLog(KafkaTemplate<String, DirectSendAccessEntry> template, KafkaProperties kafka) {
        Map<String, Object> properties = KafkaSendLedgerLog.readerProperties(kafka.buildConsumerProperties());
        properties.put("client.id", "dispatch-direct-send-access-reader");
        return new KafkaDirectSendAccessLog(Topics.DIRECT_SEND_ACCESS.name(), template, new KafkaConsumer<>(properties),
                LedgerConfig.LEDGER_TIMEOUT);
    }

    /**
     * The record every instance shares, read from the topic from the start; the decision's {@code DirectSendAccess}.
     * A refusal's re-check interval is its number's tenant's {@code tenants.<id>.direct-send.recheck-after}
     * ({@link TenantRules.DirectSend#DEFAULT_RECHECK_AFTER} for a number no tenant owns).
     */
    @Bean
    DirectSendRefusals directSendRefusals(KafkaDirectSendAccessLog log, TenantSettings tenants) {
        DirectSendRefusals refusals = new DirectSendRefusals(number -> tenants.directory().byPhoneNumberId(number)
                .map(owner -> tenants.rules(owner.tenantId()).directSend().recheckAfter())
                .orElse(TenantRules.DirectSend.DEFAULT_RECHECK_AFTER), log::append);
        log.start(refusals);
        return refusals;
    }

    @Bean
    DirectSendMetrics directSendMetrics(MeterRegistry meters, DirectSendRefusals refusals, Clock clock) {
        return new DirectSendMetrics(meters).gauge(refusals, clock);
    }

    @Bean
    DirectSendAccessEndpoint directSendAccessEndpoint(DirectSendRefusals refusals, TenantDirectory numbers, Clock clock) {
        return new DirectSendAccessEndpoint(refusals, numbers, clock);
    }
}
