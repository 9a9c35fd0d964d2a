package com.answerline.dispatch.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class TemplateCatalogueHealthIndicatorTest {

    @Test
    void shouldStayUpAndShowTheFailedSyncNextToTheKeptTemplates() {
        TemplateCatalogue catalogue = new TemplateCatalogue();
        catalogue.seed("200000000000001", List.of(new CatalogueTemplate("customer_care_reopen", "en_US", null,
                "APPROVED", "Dear {{1}}")));
        catalogue.syncFailed("200000000000001", "TimeoutException", Instant.parse("2026-11-25T12:00:00Z"));

        Health health = new TemplateCatalogueHealthIndicator(catalogue).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> accounts = (Map<String, Map<String, Object>>) health.getDetails().get("accounts");
        assertThat(accounts.get("200000000000001"))
                .containsEntry("templates", 1)
                .containsEntry("source", "configuration")
                .containsEntry("consecutiveFailures", 1)
                .containsEntry("lastFailure", "TimeoutException")
                .containsEntry("lastFailureAt", "2026-11-25T12:00:00Z");
    }
}
