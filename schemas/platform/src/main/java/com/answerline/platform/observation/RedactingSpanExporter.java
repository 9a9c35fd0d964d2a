package com.answerline.platform.observation;

import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The last step before a span leaves the process: every span handed to the wrapped exporter has its name, its
 * string attributes and its events' string attributes redacted ({@link TraceRedaction}). It catches what the
 * {@link RedactingObservationFilter} cannot reach: the exception event the tracing handler records when an error
 * is signalled (a 404's message names the request's URL, Reactor's checkpoints in its stack trace too), and
 * attributes set on a span outside an observation.
 */
public final class RedactingSpanExporter implements SpanExporter {

    private final SpanExporter delegate;

    public RedactingSpanExporter(SpanExporter delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return delegate.export(spans.stream().<SpanData>map(RedactedSpan::new).toList());
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    /** The wrapped exporter. */
    public SpanExporter delegate() {
        return delegate;
    }

    @Override
    public String toString() {
        return "RedactingSpanExporter{" + delegate + "}";
    }

    /** A span as exported: the same span, its name and string values redacted. */
    private static final class RedactedSpan extends DelegatingSpanData {

        private final String name;
        private final Attributes attributes;
        private final List<EventData> events;

        RedactedSpan(SpanData span) {
            super(span);
            this.name = TraceRedaction.redactName(span.getName());
            this.attributes = redacted(span.getAttributes());
            this.events = span.getEvents().stream().map(event -> EventData.create(event.getEpochNanos(),
                    TraceRedaction.redactName(event.getName()), redacted(event.getAttributes()),
                    event.getTotalAttributeCount())).toList();
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Attributes getAttributes() {
            return attributes;
        }

        @Override
        public List<EventData> getEvents() {
            return events;
        }
    }

    @SuppressWarnings("unchecked")
    private static Attributes redacted(Attributes attributes) {
        AttributesBuilder builder = Attributes.builder();
        attributes.forEach((key, value) -> {
            if (key.getType() == AttributeType.STRING) {
                builder.put((AttributeKey<String>) key, TraceRedaction.redact(key.getKey(), (String) value));
            } else if (key.getType() == AttributeType.STRING_ARRAY) {
                builder.put((AttributeKey<List<String>>) key, ((List<String>) value).stream()
                        .map(item -> TraceRedaction.redact(key.getKey(), item)).toList());
            } else {
                builder.put((AttributeKey<Object>) key, value);
            }
        });
        return builder.build();
    }
}
