package com.answerline.dispatch.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class TemplateCatalogueTest {

    static final String WABA = "200000000000001";
    static final Instant T1 = Instant.parse("2026-11-25T12:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-25T12:05:00Z");
    static final CatalogueTemplate REOPEN = new CatalogueTemplate("customer_care_reopen", "en_US", "UTILITY", "APPROVED",
            "Dear {{1}}, Best regards, {{2}}");
    static final CatalogueTemplate HELLO = new CatalogueTemplate("hello_world", "en_US", "UTILITY", "APPROVED", "Hello");

    final TemplateCatalogue catalogue = new TemplateCatalogue();

    @Test
    void shouldReplaceTheSeedWithTheProvidersListOnASuccessfulSync() {
        catalogue.seed(WABA, List.of(REOPEN));
        CatalogueTemplate paused = new CatalogueTemplate("customer_care_reopen", "en_US", "UTILITY", "PAUSED", REOPEN.body());

        catalogue.synced(WABA, List.of(paused, HELLO), T1);

        assertThat(catalogue.templatesOf(WABA)).containsExactly(paused, HELLO);
        assertThat(catalogue.find(WABA, "customer_care_reopen", "en_US")).contains(paused);
        TemplateCatalogue.Account account = catalogue.accounts().get(WABA);
        assertThat(account.source()).isEqualTo("provider");
        assertThat(account.lastSyncedAt()).isEqualTo(T1);
    }

    @Test
    void shouldKeepTheLastGoodTemplatesWhenASyncFails() {
        catalogue.seed(WABA, List.of(REOPEN));
        catalogue.synced(WABA, List.of(REOPEN, HELLO), T1);

        catalogue.syncFailed(WABA, "TimeoutException: no answer", T2);
        catalogue.syncFailed(WABA, "TimeoutException: no answer", T2);

        assertThat(catalogue.templatesOf(WABA)).containsExactly(REOPEN, HELLO);
        TemplateCatalogue.Account account = catalogue.accounts().get(WABA);
        assertThat(account.lastSyncedAt()).isEqualTo(T1);
        assertThat(account.lastFailureAt()).isEqualTo(T2);
        assertThat(account.consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void shouldKeepTheSeedWhenTheFirstSyncFails() {
        catalogue.seed(WABA, List.of(REOPEN));

        catalogue.syncFailed(WABA, "ConnectException", T1);

        assertThat(catalogue.templatesOf(WABA)).containsExactly(REOPEN);
        assertThat(catalogue.accounts().get(WABA).source()).isEqualTo("configuration");
    }

    @Test
    void shouldResetTheFailureCountOnTheNextSuccess() {
        catalogue.syncFailed(WABA, "ConnectException", T1);

        catalogue.synced(WABA, List.of(HELLO), T2);

        assertThat(catalogue.accounts().get(WABA).consecutiveFailures()).isZero();
        assertThat(catalogue.templatesOf(WABA)).containsExactly(HELLO);
    }
}
