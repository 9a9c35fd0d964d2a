package com.answerline.dispatch.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.answerline.dispatch.decision.TenantRules;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * Each tenant's business number, from the one tenant directory of all services ({@code answerline.tenants}), joined
 * with what only dispatch decides for it ({@code answerline.dispatch.tenants.<id>}: fallback policy, default
 * template, SMS sender). The two must name the same tenants, or the service refuses to start: a tenant whose number
 * is known but whose policy is not would have every reply rejected, a policy for an unknown tenant is a typo.
 *
 * <p>One business number per tenant: the decision checks a reply's conversation against it (TENANT_MISMATCH). A
 * tenant with several numbers is refused at start-up until rules per number exist.
 */
public final class TenantSettings {

    private final TenantDirectory directory;
    private final Map<String, DispatchProperties.Tenant> settings;

    public TenantSettings(TenantDirectory directory, Map<String, DispatchProperties.Tenant> settings) {
        this.directory = directory;
        this.settings = Map.copyOf(settings);
        List<String> problems = new ArrayList<>();
        for (String tenantId : new LinkedHashSet<>(directory.all().stream().map(BusinessNumber::tenantId).toList())) {
            if (!settings.containsKey(tenantId)) {
                problems.add("tenant " + tenantId + " has a business number (answerline.tenants) but no "
                        + "answerline.dispatch.tenants." + tenantId + " (policy, default template)");
            }
            if (directory.ofTenant(tenantId).size() > 1) {
                problems.add("tenant " + tenantId + " owns more than one business number: not supported yet");
            }
        }
        for (String tenantId : settings.keySet()) {
            if (directory.ofTenant(tenantId).isEmpty()) {
                problems.add("answerline.dispatch.tenants." + tenantId + " names a tenant with no business number in "
                        + "answerline.tenants");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("tenant settings disagree: " + String.join("; ", problems));
        }
    }

    /** The platform's directory: which tenant owns which business number. */
    public TenantDirectory directory() {
        return directory;
    }

    /** The tenant's rules, or null when the tenant is unknown. */
    public TenantRules rules(String tenantId) {
        DispatchProperties.Tenant tenant = tenantId == null ? null : settings.get(tenantId);
        if (tenant == null) {
            return null;
        }
        BusinessNumber number = number(tenantId);
        DispatchProperties.DefaultTemplate template = tenant.defaultTemplate();
        return new TenantRules(tenantId, number.phoneNumberId(), number.displayNumber(), tenant.policy(),
                template.name(), template.language(), template.body(), tenant.smsInvitation(),
                tenant.continuePrefill(), tenant.smsSenderId(),
                tenant.smsMaxSegments() == null ? TenantRules.DEFAULT_SMS_MAX_SEGMENTS : tenant.smsMaxSegments(),
                tenant.replyValidity(), tenant.directSendRules());
    }

    /** Dispatch's own settings of the tenant, or null when unknown. */
    public DispatchProperties.Tenant settings(String tenantId) {
        return tenantId == null ? null : settings.get(tenantId);
    }

    /** Every tenant id, in no particular order. */
    public Set<String> tenantIds() {
        return settings.keySet();
    }

    /** The tenant's template catalogue key: the WABA id of its business number; null when unknown. */
    public String wabaId(String tenantId) {
        return tenantId == null || !settings.containsKey(tenantId) ? null : number(tenantId).wabaId();
    }

    /** The WABA ids of every tenant, for the template sync. */
    public Set<String> wabaIds() {
        Set<String> ids = new LinkedHashSet<>();
        directory.all().forEach(number -> ids.add(number.wabaId()));
        return ids;
    }

    private BusinessNumber number(String tenantId) {
        return directory.ofTenant(tenantId).get(0);
    }
}
