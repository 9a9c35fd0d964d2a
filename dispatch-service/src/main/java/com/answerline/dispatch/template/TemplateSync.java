package com.answerline.dispatch.template;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the {@link TemplateCatalogue} in step with the provider: every {@code interval} (first run at start-up)
 * it reads each WABA's template list and replaces that WABA's templates. A WABA whose read fails or exceeds
 * {@code timeout} keeps its last good templates; the failure is counted in
 * {@code answerline_dispatch_template_syncs_total{outcome="failure"}} and shown on the health endpoint. One WABA's
 * failure does not stop the others. No WABA id or template content goes into metric labels or INFO logs.
 */
public class TemplateSync implements SmartLifecycle {

    static final String SYNCS = "answerline.dispatch.template.syncs";
    private static final Logger log = LoggerFactory.getLogger(TemplateSync.class);

    private final TemplateListClient client;
    private final TemplateCatalogue catalogue;
    private final Set<String> wabaIds;
    private final Duration interval;
    private final Duration timeout;
    private final Clock clock;
    private final Counter successes;
    private final Counter failures;
    private volatile Disposable running;

    public TemplateSync(TemplateListClient client, TemplateCatalogue catalogue, Set<String> wabaIds, Duration interval,
                        Duration timeout, Clock clock, MeterRegistry registry) {
        this.client = client;
        this.catalogue = catalogue;
        this.wabaIds = Set.copyOf(wabaIds);
        this.interval = interval;
        this.timeout = timeout;
        this.clock = clock;
        this.successes = counter(registry, "success");
        this.failures = counter(registry, "failure");
    }

    /** One round over every WABA; completes when all are done (each succeeded or recorded its failure). */
    public Mono<Void> syncAll() {
        return Flux.fromIterable(wabaIds).concatMap(this::sync).then();
    }

    private Mono<Void> sync(String wabaId) {
        return client.templatesOf(wabaId)
                .timeout(timeout)
                .doOnNext(templates -> {
                    catalogue.synced(wabaId, templates, clock.instant());
                    successes.increment();
                })
                .onErrorResume(e -> {
                    catalogue.syncFailed(wabaId, e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant());
                    failures.increment();
                    log.warn("template sync failed, keeping the last good templates: {}", e.toString());
                    return Mono.empty();
                })
                .then();
    }

    @Override
    public void start() {
        running = Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> syncAll(), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(SYNCS)
                .description("Template list syncs from the provider, per WABA, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
