package com.answerline.dispatch.template;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The templates of every WhatsApp Business Account (WABA) this service sends for, read by the decision on every
 * template it is about to choose. Seeded from configuration at start-up, then replaced by each successful sync
 * from the provider's template list (the provider is the truth: a template paused or deleted there stops being
 * sendable here). A failed sync changes nothing but the account's sync state: the last good list stays, so a
 * provider outage never empties the catalogue and turns every template send into a rejection.
 * Thread-safe: one immutable {@link Account} per WABA, swapped atomically.
 */
public final class TemplateCatalogue {

    private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();

    /**
     * A WABA's templates and how they got here.
     *
     * @param source              "configuration" until the first successful sync, then "provider"
     * @param lastSyncedAt        the last successful sync, null before it
     * @param lastFailureAt       the last failed sync, null when none
     * @param lastFailure         what went wrong then (exception class and message; never a token)
     * @param consecutiveFailures failed syncs since the last successful one
     */
    public record Account(List<CatalogueTemplate> templates, String source, Instant lastSyncedAt,
                          Instant lastFailureAt, String lastFailure, int consecutiveFailures) {

        public Account {
            templates = List.copyOf(templates);
        }
    }

    /** The configured templates of a WABA, before any sync; adds to what is already seeded. */
    public void seed(String wabaId, List<CatalogueTemplate> templates) {
        accounts.merge(wabaId, new Account(templates, "configuration", null, null, null, 0),
                (old, seeded) -> new Account(concat(old.templates(), seeded.templates()), old.source(),
                        old.lastSyncedAt(), old.lastFailureAt(), old.lastFailure(), old.consecutiveFailures()));
    }

    /** A successful sync: the provider's list replaces the WABA's templates. */
    public void synced(String wabaId, List<CatalogueTemplate> templates, Instant at) {
        accounts.compute(wabaId, (id, old) -> new Account(templates, "provider", at,
                old == null ? null : old.lastFailureAt(), old == null ? null : old.lastFailure(), 0));
    }

    /** A failed sync: the templates stay as they were, only the failure is recorded. */
    public void syncFailed(String wabaId, String failure, Instant at) {
        accounts.compute(wabaId, (id, old) -> old == null
                ? new Account(List.of(), "none", null, at, failure, 1)
                : new Account(old.templates(), old.source(), old.lastSyncedAt(), at, failure, old.consecutiveFailures() + 1));
    }

    public Optional<CatalogueTemplate> find(String wabaId, String name, String language) {
        return templatesOf(wabaId).stream()
                .filter(t -> t.name().equals(name) && t.language().equals(language))
                .findFirst();
    }

    /** Whether the WABA has a template of that name in any language. */
    public boolean hasName(String wabaId, String name) {
        return templatesOf(wabaId).stream().anyMatch(t -> t.name().equals(name));
    }

    public List<CatalogueTemplate> templatesOf(String wabaId) {
        Account account = accounts.get(wabaId);
        return account == null ? List.of() : account.templates();
    }

    /** Every WABA's state, for the health endpoint. */
    public Map<String, Account> accounts() {
        return Map.copyOf(accounts);
    }

    private static List<CatalogueTemplate> concat(List<CatalogueTemplate> a, List<CatalogueTemplate> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
