package com.answerline.session.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.session.window.WindowChange;

/**
 * {@value #WINDOW_EVENTS}: window events published, by type and tenant. A task that aborts its transaction
 * and redoes the work counts twice: a rate to watch, not a ledger.
 */
public final class WindowEventMetrics {

    public static final String WINDOW_EVENTS = "answerline.session.window.events";

    private final MeterRegistry registry;

    public WindowEventMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void emitted(WindowChange change) {
        Counter.builder(WINDOW_EVENTS)
                .description("Window events published to window-events")
                .tag("type", change.type().name())
                .tag("tenant", change.tenantId() != null ? change.tenantId() : "unknown")
                .register(registry)
                .increment();
    }
}
