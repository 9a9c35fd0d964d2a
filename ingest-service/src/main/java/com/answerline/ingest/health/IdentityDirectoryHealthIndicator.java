package com.answerline.ingest.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import com.answerline.ingest.identity.CustomerIdentities;
import com.answerline.ingest.identity.IdentityDirectory;

/**
 * {@code /actuator/health/identityDirectory}: UP while the customer identity directory answers, OUT_OF_SERVICE
 * while it does not (Streams starting or restoring the global table). Webhooks answer 503 meanwhile, so this one
 * also takes the aggregate and the readiness group out of service: a load balancer sends webhooks elsewhere.
 *
 * <p>Reactive, answered on the caller's thread (see {@link ReadinessHealth}): the check is a few in-memory reads.
 */
@Component("identityDirectory")
class IdentityDirectoryHealthIndicator implements ReactiveHealthIndicator {

    private final IdentityDirectory directory;

    IdentityDirectoryHealthIndicator(IdentityDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> (directory.queryable() ? Health.up() : Health.outOfService())
                .withDetail("store", CustomerIdentities.STORE).build());
    }
}
