package com.answerline.platform.observation;

import io.micrometer.observation.ObservationFilter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The one redaction of every service's traces, in two places: {@link RedactingObservationFilter} (Boot registers
 * each {@link ObservationFilter} bean with the observation registry; last in order, so it also sees what other
 * filters added) rewrites every observation (HTTP server and client, Kafka template and listener, the services' own)
 * before its handlers see it; and every {@link SpanExporter} bean (the OTLP exporter when an endpoint is
 * configured) is wrapped in a {@link RedactingSpanExporter}, which redacts what reaches a span otherwise (the
 * exception event). Not switchable: a trace exporter is configured per deployment, this protection is not.
 */
@AutoConfiguration
@ConditionalOnClass(ObservationFilter.class)
public class TraceRedactionAutoConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    RedactingObservationFilter redactingObservationFilter() {
        return new RedactingObservationFilter();
    }

    /** With OpenTelemetry's SDK (every service's tracing bridge): each exporter wrapped, whoever declared it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SpanExporter.class)
    static class SpanExporterRedaction {

        @Bean
        static BeanPostProcessor redactingSpanExporters() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof SpanExporter exporter && !(bean instanceof RedactingSpanExporter)
                            ? new RedactingSpanExporter(exporter) : bean;
                }
            };
        }
    }
}
