package com.answerline.dispatch.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.pricing.OutcomeCosts;
import com.answerline.dispatch.pricing.PricingProperties;
import com.answerline.dispatch.template.TemplateCatalogue;

/**
 * The cost estimate (issue 5 section 7): the configured price list ({@code answerline.dispatch.pricing.*}) and the
 * {@link OutcomeCosts} the sender prices each outcome with. Templates are looked up in the tenant's WABA, keyed
 * as the template catalogue keys them.
 */
@Configuration(proxyBeanMethods = false)
class PricingConfig {

    @Bean
    CostEstimator costEstimator(PricingProperties pricing) {
        return new CostEstimator(pricing);
    }

    @Bean
    OutcomeCosts outcomeCosts(CostEstimator estimator, TemplateCatalogue catalogue, TenantSettings tenants) {
        return new OutcomeCosts(estimator, catalogue, tenantId -> {
            DispatchProperties.Tenant tenant = tenants.settings(tenantId);
            return tenant == null ? null : new OutcomeCosts.TenantTemplates(tenants.wabaId(tenantId),
                    tenant.defaultTemplate().name(), tenant.defaultTemplate().language());
        });
    }
}
