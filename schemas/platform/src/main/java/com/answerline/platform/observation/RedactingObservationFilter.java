package com.answerline.platform.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;

/**
 * Rewrites every observation, when it stops and before any handler sees it (the tracing handler names and tags the
 * span then, the meter handler tags its timer), so its contextual name (the span name) and each low- and
 * high-cardinality value say nothing about a customer ({@link TraceRedaction}). An observation's error reaches the
 * tracing handler earlier (when it is signalled, not at stop): {@link RedactingSpanExporter} redacts it as exported.
 */
public final class RedactingObservationFilter implements ObservationFilter {

    @Override
    public Observation.Context map(Observation.Context context) {
        String name = context.getContextualName();
        if (name != null) {
            context.setContextualName(TraceRedaction.redactName(name));
        }
        for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
            String redacted = TraceRedaction.redact(keyValue.getKey(), keyValue.getValue());
            if (!redacted.equals(keyValue.getValue())) {
                context.addLowCardinalityKeyValue(KeyValue.of(keyValue.getKey(), redacted));
            }
        }
        for (KeyValue keyValue : context.getHighCardinalityKeyValues()) {
            String redacted = TraceRedaction.redact(keyValue.getKey(), keyValue.getValue());
            if (!redacted.equals(keyValue.getValue())) {
                context.addHighCardinalityKeyValue(KeyValue.of(keyValue.getKey(), redacted));
            }
        }
        return context;
    }
}
