package com.answerline.platform.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A span exporter that keeps what it is given, for tests of what a service exports: declared as a bean (add
 * {@link AsBean} as a source of the application, e.g. {@code --spring.main.sources=<its class name>}), Boot's
 * OpenTelemetry tracing exports every span to it (with {@code management.opentelemetry.tracing.export.schedule-delay}
 * short, they arrive within a moment).
 */
public final class InMemorySpans implements SpanExporter {

    /**
     * The exporter as a bean of the application under test; {@link #spans()} is it (the bean itself may be wrapped,
     * as the services wrap every exporter to redact what it exports).
     */
    @Configuration(proxyBeanMethods = false)
    public static class AsBean {

        private final InMemorySpans spans = new InMemorySpans();

        @Bean
        SpanExporter inMemorySpans() {
            return spans;
        }

        public InMemorySpans spans() {
            return spans;
        }
    }

    private final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        spans.addAll(batch);
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    public List<SpanData> spans() {
        return List.copyOf(spans);
    }

    /** Every span name and attribute value exported so far, one string each: what a trace backend would hold. */
    public List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (SpanData span : spans) {
            texts.add(span.getName());
            span.getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value));
            span.getEvents().forEach(event -> {
                texts.add(event.getName());
                event.getAttributes().forEach((key, value) -> texts.add(key.getKey() + "=" + value));
            });
        }
        return texts;
    }
}
