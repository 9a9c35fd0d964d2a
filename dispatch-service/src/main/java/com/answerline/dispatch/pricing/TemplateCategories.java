package com.answerline.dispatch.pricing;

import java.util.Objects;
import java.util.function.Function;

import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.dispatch.template.TemplateCatalogue;

/**
 * The category a tenant's template is priced by: as the tenant's WABA catalogue knows it (synced from the
 * provider's template list), null when unknown (the estimate then assumes {@code unknown-category} and says so).
 */
public final class TemplateCategories {

    /** What a tenant's templates are looked up with: its catalogue key and its default (invitation) template. */
    public record TenantTemplates(String wabaId, String defaultName, String defaultLanguage) {
    }

    private final TemplateCatalogue catalogue;
    private final Function<String, TenantTemplates> tenants;

    /** @param tenants by tenant id; null for a tenant not configured here (its templates then have no category) */
    public TemplateCategories(TemplateCatalogue catalogue, Function<String, TenantTemplates> tenants) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
    }

    /**
     * @param name     the template's name; null for the tenant's default (invitation) template
     * @param language its language, with the name
     * @return MARKETING, UTILITY, AUTHENTICATION (or whatever the provider said), null when unknown
     */
    public String of(String tenantId, String name, String language) {
        TenantTemplates tenant = tenantId == null ? null : tenants.apply(tenantId);
        if (tenant == null) {
            return null;
        }
        String looked = name != null ? name : tenant.defaultName();
        String in = name != null ? language : tenant.defaultLanguage();
        return looked == null || in == null ? null
                : catalogue.find(tenant.wabaId(), looked, in).map(CatalogueTemplate::category).orElse(null);
    }
}
