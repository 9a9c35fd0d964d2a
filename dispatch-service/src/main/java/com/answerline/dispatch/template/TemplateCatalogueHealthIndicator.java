package com.answerline.dispatch.template;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The template catalogue on the health endpoint: per WABA how many templates, where they came from, the last
 * successful and failed sync. Always UP: a failed sync keeps the last good templates, so sending is not impaired;
 * the details (and the failure counter) show a sync that keeps failing.
 */
public class TemplateCatalogueHealthIndicator implements HealthIndicator {

    private final TemplateCatalogue catalogue;

    public TemplateCatalogueHealthIndicator(TemplateCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public Health health() {
        Map<String, Object> accounts = new LinkedHashMap<>();
        catalogue.accounts().forEach((waba, account) -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("templates", account.templates().size());
            detail.put("source", account.source());
            detail.put("lastSyncedAt", String.valueOf(account.lastSyncedAt()));
            detail.put("consecutiveFailures", account.consecutiveFailures());
            if (account.lastFailureAt() != null) {
                detail.put("lastFailureAt", account.lastFailureAt().toString());
                detail.put("lastFailure", account.lastFailure());
            }
            accounts.put(waba, detail);
        });
        return Health.up().withDetail("accounts", accounts).build();
    }
}
