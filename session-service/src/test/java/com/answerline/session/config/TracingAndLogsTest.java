package com.answerline.session.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
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
 * The service's tracing and logging configuration as it reads it (application.yml and, for the production
 * profile, application-production.yml from the classpath). In production, a line logged inside a span comes out
 * as one JSON object with that span's trace and span ids. Without an OTLP endpoint no span exporter exists, so
 * nothing leaves the process. With an endpoint set, spans go there (a loopback stand-in here).
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingAndLogsTest {

    @AfterEach
    void restoreTestLogging() throws JoranException {
        // The structured console format would otherwise stay on for the later tests of this JVM.
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        logback.reset();
        new ContextInitializer(logback).autoConfig();
    }

    @Test
    void shouldLogJsonLinesWithTheCurrentTraceIdsInTheProductionProfile(CapturedOutput output) {
        // The production profile refuses unsafe settings at start (the platform's ProductionConfigurationGuard): the
        // loopback defaults of application.yml are made production-shaped here.
        try (ConfigurableApplicationContext app = start("--spring.profiles.active=production",
                "--answerline.security.allow-plaintext-kafka=true",
                "--answerline.session.jwt.issuer=https://idp.example.com/",
                "--answerline.session.jwt.jwks-uri=https://idp.example.com/.well-known/jwks.json")) {
            Tracer tracer = app.getBean(Tracer.class);
            Span span = tracer.nextSpan().name("probe").start();
            try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
                LoggerFactory.getLogger(TracingAndLogsTest.class).info("production log probe");
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

    @Test
    void shouldExportSpansOnlyWhenAnOtlpEndpointIsConfigured() throws IOException {
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> posts = new CopyOnWriteArrayList<>();
        collector.createContext("/", exchange -> {
            posts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try (ConfigurableApplicationContext app = start("--management.opentelemetry.tracing.export.otlp.endpoint="
                + "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces",
                "--management.opentelemetry.tracing.export.schedule-delay=100ms")) {
            app.getBean(Tracer.class).nextSpan().name("exported").start().end();

            await().atMost(Duration.ofSeconds(30)).until(() -> posts.contains("POST /v1/traces"));
        } finally {
            collector.stop(0);
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(TracingOnly.class).web(WebApplicationType.NONE).run(args);
    }

    /** Only the tracing auto-configuration the service has; no Kafka, no web server. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
            OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
            OtlpTracingAutoConfiguration.class})
    static class TracingOnly {
    }
}
