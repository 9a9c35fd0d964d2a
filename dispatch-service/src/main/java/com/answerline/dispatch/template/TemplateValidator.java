package com.answerline.dispatch.template;

import java.util.Optional;
import java.util.function.Function;

import com.answerline.avro.OutcomeReason;
import com.answerline.dispatch.decision.TemplateCheck;
import com.answerline.dispatch.decision.TemplateMessage;
import com.answerline.dispatch.decision.TenantRules;

/**
 * Checks a template against the tenant's WABA catalogue the way WhatsApp will (DOMAIN 3: 132001 unknown name or
 * language / not approved, 132015 paused, 132016 disabled, 132000 parameter count), so such a send is rejected
 * with a clear reason before it reaches the provider, and renders the text the customer will see.
 */
public final class TemplateValidator implements TemplateCheck {

    private final TemplateCatalogue catalogue;
    private final Function<TenantRules, String> wabaOf;

    /** @param wabaOf the catalogue key (WABA id) of a tenant */
    public TemplateValidator(TemplateCatalogue catalogue, Function<TenantRules, String> wabaOf) {
        this.catalogue = catalogue;
        this.wabaOf = wabaOf;
    }

    @Override
    public Verdict check(TenantRules tenant, TemplateMessage message) {
        String waba = wabaOf.apply(tenant);
        String label = "template " + message.name() + "/" + message.language();
        Optional<CatalogueTemplate> found = catalogue.find(waba, message.name(), message.language());
        if (found.isEmpty()) {
            return catalogue.hasName(waba, message.name())
                    ? Verdict.rejected(OutcomeReason.TEMPLATE_LANGUAGE_NOT_FOUND, label + ": not available in this language")
                    : Verdict.rejected(OutcomeReason.TEMPLATE_NOT_FOUND, label + ": not in the catalogue");
        }
        CatalogueTemplate template = found.get();
        if (!template.approved()) {
            return Verdict.rejected(OutcomeReason.TEMPLATE_NOT_APPROVED, label + ": " + template.status());
        }
        int expected = template.parameterCount();
        if (message.parameters().size() != expected) {
            return Verdict.rejected(OutcomeReason.TEMPLATE_PARAMETER_MISMATCH,
                    label + ": " + message.parameters().size() + " parameters for " + expected + " placeholders");
        }
        return Verdict.ok(message.render(template.body()));
    }
}
