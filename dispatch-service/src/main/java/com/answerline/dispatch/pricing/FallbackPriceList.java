package com.answerline.dispatch.pricing;

import java.time.Instant;
import java.util.Objects;

import com.answerline.avro.CostEstimate;
import com.answerline.dispatch.decision.FallbackPrices;
import com.answerline.dispatch.decision.TemplateMessage;
import com.answerline.dispatch.decision.TenantRules;

/** The configured price list as the decision asks it for the tenant policy CHEAPEST: the estimate every outcome gets. */
public final class FallbackPriceList implements FallbackPrices {

    private final CostEstimator estimator;
    private final TemplateCategories categories;

    public FallbackPriceList(CostEstimator estimator, TemplateCategories categories) {
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.categories = Objects.requireNonNull(categories, "categories");
    }

    @Override
    public CostEstimate sms(int segments, String phone, Instant at) {
        return estimator.sms(segments, RecipientRegion.of(phone), at);
    }

    @Override
    public CostEstimate template(TenantRules tenant, TemplateMessage template, String phone, boolean insideWindow,
                                Instant freeEntryPointUntil, Instant at) {
        return estimator.template(categories.of(tenant.tenantId(), template.name(), template.language()),
                RecipientRegion.of(phone), insideWindow, freeEntryPointUntil, at);
    }

    @Override
    public CostEstimate directSend(String phone, Instant freeEntryPointUntil, Instant at) {
        return estimator.directSend(RecipientRegion.of(phone), freeEntryPointUntil, at);
    }
}
