package com.answerline.dispatch.decision;

import com.answerline.avro.OutcomeReason;

/**
 * Whether a template may be sent for a tenant, and the text the customer will see. The decision asks this before
 * it chooses a template, so that a template WhatsApp would refuse (132000, 132001, 132015, 132016) is rejected
 * with a clear reason before anything is sent. An interface so {@link ChannelDecider} stays pure: the catalogue
 * behind it (package {@code template}) is kept in sync elsewhere.
 */
@FunctionalInterface
public interface TemplateCheck {

    Verdict check(TenantRules tenant, TemplateMessage template);

    /**
     * Checks nothing and renders only the tenant's configured default template (the behaviour before the
     * catalogue existed). For tests of the window rules that are not about templates.
     */
    TemplateCheck UNCHECKED = (tenant, template) -> {
        boolean known = template.name().equals(tenant.defaultTemplateName())
                && template.language().equals(tenant.defaultTemplateLanguage()) && tenant.defaultTemplateBody() != null;
        return Verdict.ok(known ? template.render(tenant.defaultTemplateBody()) : null);
    };

    /**
     * @param rejection null when the template may be sent, else the reason (TEMPLATE_NOT_FOUND,
     *                  TEMPLATE_LANGUAGE_NOT_FOUND, TEMPLATE_NOT_APPROVED or TEMPLATE_PARAMETER_MISMATCH)
     * @param text      the rendered text the customer will see; null when rejected or the body is unknown
     * @param detail    a human-readable step for the explanation's chain (e.g. "template x/en_US is PAUSED")
     */
    record Verdict(OutcomeReason rejection, String text, String detail) {

        public static Verdict ok(String text) {
            return new Verdict(null, text, null);
        }

        public static Verdict rejected(OutcomeReason reason, String detail) {
            return new Verdict(reason, null, detail);
        }

        public boolean sendable() {
            return rejection == null;
        }
    }
}
