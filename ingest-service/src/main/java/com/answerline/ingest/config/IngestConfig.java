package com.answerline.ingest.config;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.LoggingProducerListener;
import org.springframework.kafka.support.ProducerListener;

import com.answerline.ingest.http.LingeringClose;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.ingest.webhook.WebhookAdmission;
import com.answerline.ingest.webhook.sms.SmsRecordMapper;
import com.answerline.ingest.webhook.sms.TwilioSignatureVerifier;
import com.answerline.ingest.webhook.whatsapp.WhatsAppPayloadParser;
import com.answerline.ingest.webhook.whatsapp.WhatsAppRecordMapper;
import com.answerline.ingest.webhook.whatsapp.WhatsAppSignatureVerifier;

/**
 * Wires the plain-Java core (verifiers, parser, mappers) from the typed configuration. The tenant directory is the
 * platform's, from {@code answerline.tenants} like in every service ({@code TenantDirectoryAutoConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
class IngestConfig {

    /** Every listener (main and webhooks) ends a connection with a lingering close: a refused client reads the answer. */
    @Bean
    NettyServerCustomizer lingeringClose() {
        return LingeringClose.customizer();
    }

    /**
     * Load shedding for webhooks, right after {@code ListenerPaths} (a webhook on the wrong port is a 404, not a 503)
     * and before security and the controllers: a refused webhook costs its headers only.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    WebhookAdmission webhookAdmission(IngestProperties properties, MeterRegistry meters) {
        return new WebhookAdmission(properties.webhook().maxInProgress(), properties.webhook().busyRetryAfter(), meters);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    WhatsAppSignatureVerifier whatsAppSignatureVerifier(IngestProperties properties) {
        return new WhatsAppSignatureVerifier(properties.whatsapp().appSecrets());
    }

    @Bean
    WhatsAppPayloadParser whatsAppPayloadParser() {
        return new WhatsAppPayloadParser();
    }

    @Bean
    WhatsAppRecordMapper whatsAppRecordMapper(TenantDirectory tenants) {
        return new WhatsAppRecordMapper(tenants);
    }

    @Bean
    TwilioSignatureVerifier twilioSignatureVerifier(IngestProperties properties) {
        return new TwilioSignatureVerifier(properties.twilio().authToken());
    }

    @Bean
    SmsRecordMapper smsRecordMapper(TenantDirectory tenants) {
        return new SmsRecordMapper(tenants);
    }

    @Bean
    EventPublisher eventPublisher(KafkaTemplate<String, Object> kafka, IngestProperties properties, MeterRegistry meters) {
        return new EventPublisher(kafka, properties.webhook().publishTimeout(), meters);
    }

    /**
     * Replaces Boot's default producer listener, which logs a failed record's key and value: the
     * conversation id carries the customer's number and the value their words.
     */
    @Bean
    ProducerListener<Object, Object> kafkaProducerListener() {
        LoggingProducerListener<Object, Object> listener = new LoggingProducerListener<>();
        listener.setIncludeContents(false);
        return listener;
    }
}
