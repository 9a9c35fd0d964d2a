package com.answerline.dispatch.decision;

import java.util.Objects;

import com.answerline.avro.FallbackPolicy;

/**
 * A tenant's dispatch settings, as the decision sees them.
 *
 * @param displayNumber       the business number in digits (SMS sender and wa.me link)
 * @param policy              what AUTO means for this tenant when the window is closed; never AUTO itself
 * @param defaultTemplateName the invitation template sent when a template fallback names none
 * @param defaultTemplateBody its body with {{1}} = customer name and {{2}} = agent name, to render the text the
 *                            customer sees; null when unknown
 * @param smsInvitation       the sentence before the wa.me link in an SMS fallback
 * @param continuePrefill     the text the customer's WhatsApp pre-fills after following the link
 */
public record TenantRules(String tenantId, String phoneNumberId, String displayNumber, FallbackPolicy policy,
                          String defaultTemplateName, String defaultTemplateLanguage, String defaultTemplateBody,
                          String smsInvitation, String continuePrefill) {

    public TenantRules {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(phoneNumberId, "phoneNumberId");
        Objects.requireNonNull(displayNumber, "displayNumber");
        Objects.requireNonNull(defaultTemplateName, "defaultTemplateName");
        Objects.requireNonNull(defaultTemplateLanguage, "defaultTemplateLanguage");
        if (policy == null || policy == FallbackPolicy.AUTO) {
            throw new IllegalArgumentException("tenant " + tenantId + " needs a concrete fallback policy, not " + policy);
        }
    }
}
