package com.answerline.ingest.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import com.answerline.ingest.identity.CustomerIdentities;
import com.answerline.ingest.identity.IdentityDirectory;

/**
 * {@code /actuator/health/identityDirectory}: UP while the customer identity directory answers, OUT_OF_SERVICE
 * while it does not (Streams starting or restoring the global table). Webhooks answer 503 meanwhile, so this one
 * also takes the aggregate and the readiness group out of service: a load balancer sends webhooks elsewhere.
 */
@Component("identityDirectory")
class IdentityDirectoryHealthIndicator implements HealthIndicator {

    private final IdentityDirectory directory;

    IdentityDirectoryHealthIndicator(IdentityDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Health health() {
        Health.Builder health = directory.queryable() ? Health.up() : Health.outOfService();
        return health.withDetail("store", CustomerIdentities.STORE).build();
    }
}
