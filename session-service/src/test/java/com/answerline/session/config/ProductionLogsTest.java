package com.answerline.session.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production profile as the service reads it (application.yml + application-production.yml from the
 * classpath) with the service's tracing: a line logged inside a span comes out as one JSON object carrying that
 * span's trace and span ids, and without an OTLP endpoint no span exporter exists (nothing leaves the process).
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionLogsTest {

    @Test
    void shouldLogJsonLinesWithTheCurrentTraceIdsInTheProductionProfile(CapturedOutput output) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TracingOnly.class)
                .web(WebApplicationType.NONE).profiles("production").run()) {
            Tracer tracer = app.getBean(Tracer.class);
            Span span = tracer.nextSpan().name("probe").start();
            try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
                LoggerFactory.getLogger(ProductionLogsTest.class).info("production log probe");
            } finally {
                span.end();
            }

            String line = output.getOut().lines().filter(l -> l.contains("production log probe"))
                    .findFirst().orElseThrow();
            JsonNode json = JsonMapper.builder().build().readTree(line);
            assertThat(json.path("message").asString()).isEqualTo("production log probe");
            assertThat(json.path("service").path("name").asString()).isEqualTo("session-service");
            assertThat(json.path("traceId").asString()).isEqualTo(span.context().traceId()).hasSize(32);
            assertThat(json.path("spanId").asString()).isEqualTo(span.context().spanId()).hasSize(16);
            assertThat(app.getBeansOfType(SpanExporter.class)).isEmpty();
        }
    }

    /** Only the tracing auto-configuration the service has; no Kafka, no web server. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
            OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
            OtlpTracingAutoConfiguration.class})
    static class TracingOnly {
    }
}
