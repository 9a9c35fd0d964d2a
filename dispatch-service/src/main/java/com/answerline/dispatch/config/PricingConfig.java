package com.answerline.dispatch.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.pricing.FallbackPriceList;
import com.answerline.dispatch.pricing.OutcomeCosts;
import com.answerline.dispatch.pricing.PricingProperties;
import com.answerline.dispatch.pricing.TemplateCategories;
import com.answerline.dispatch.template.TemplateCatalogue;

/**
 * The cost estimate: the configured price list ({@code answerline.dispatch.pricing.*}, rule periods by date), the
 * {@link OutcomeCosts} the sender prices each outcome with, and the same prices for the decision's tenant policy
 * CHEAPEST and the preview. Templates are looked up in the tenant's WABA, keyed as the template catalogue keys them.
 */
@Configuration(proxyBeanMethods = false)
class PricingConfig {

    @Bean
    CostEstimator costEstimator(PricingProperties pricing) {
        return new CostEstimator(pricing);
    }

    @Bean
    TemplateCategories templateCategories(TemplateCatalogue catalogue, TenantSettings tenants) {
        return new TemplateCategories(catalogue, tenantId -> {
            DispatchProperties.Tenant tenant = tenants.settings(tenantId);
            return tenant == null ? null : new TemplateCategories.TenantTemplates(tenants.wabaId(tenantId),
                    tenant.defaultTemplate().name(), tenant.defaultTemplate().language());
        });
    }

    @Bean
    OutcomeCosts outcomeCosts(CostEstimator estimator, TemplateCategories categories) {
        return new OutcomeCosts(estimator, categories);
    }

    @Bean
    FallbackPriceList fallbackPrices(CostEstimator estimator, TemplateCategories categories) {
        return new FallbackPriceList(estimator, categories);
    }
}
