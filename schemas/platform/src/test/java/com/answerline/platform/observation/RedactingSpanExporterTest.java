package com.answerline.platform.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.ObservationFilter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.answerline.platform.testing.InMemorySpans;

/** The last step before export: what reaches a span outside an observation is redacted too (issue 17). */
class RedactingSpanExporterTest {

    @Test
    void shouldExportASpanWithItsNameAttributesAndExceptionEventRedacted() {
        // Given spans exported through the redaction
        InMemorySpans exported = new InMemorySpans();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(new RedactingSpanExporter(exported))).build()) {
            // When a span records a 404 whose message names the request (as the tracing handler does on error)
            Span span = tracing.get("test").spanBuilder("http get /api/v1/conversations/100000000000001:15551230001")
                    .setAttribute("http.url", "/api/v1/conversations/100000000000001:15551230001?to=%2B15551230001")
                    .setAttribute(AttributeKey.longKey("messaging.kafka.message.offset"), 12345678L)
                    .startSpan();
            span.recordException(new IllegalStateException(
                    "No static resource api/v1/conversations/100000000000001:15551230001 for request "
                            + "'http://127.0.0.1:8083/api/v1/conversations/100000000000001:15551230001?from=15551230001'"));
            span.end();
        }

        // Then nothing exported holds the number; the rest is kept
        assertThat(exported.texts()).noneMatch(text -> text.contains("15551230001"))
                .contains("http get /api/v1/conversations/{conversationId}",
                        "http.url=/api/v1/conversations/{conversationId}", "messaging.kafka.message.offset=12345678")
                .anyMatch(text -> text.startsWith("exception.message=No static resource api/v1/conversations/{conversationId}"))
                .anyMatch(text -> text.startsWith("exception.stacktrace=java.lang.IllegalStateException: No static resource"));
    }

    @Test
    void shouldRegisterTheFilterAndWrapEveryExporterOfTheApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TraceRedactionAutoConfiguration.class))
                .withUserConfiguration(InMemorySpans.AsBean.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(ObservationFilter.class);
                    assertThat(context.getBean(SpanExporter.class)).isInstanceOfSatisfying(RedactingSpanExporter.class,
                            exporter -> assertThat(exporter.delegate())
                                    .isSameAs(context.getBean(InMemorySpans.AsBean.class).spans()));
                });
    }
}
