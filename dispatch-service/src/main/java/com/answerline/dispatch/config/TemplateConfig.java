package com.answerline.dispatch.config;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.dispatch.template.TemplateCatalogueHealthIndicator;
import com.answerline.dispatch.template.TemplateListClient;
import com.answerline.dispatch.template.TemplateSync;
import com.answerline.dispatch.template.TemplateValidator;

/**
 * The template catalogue, seeded from configuration, its validator, and its sync from the provider. Public so a
 * web-slice test can import the real wiring.
 */
@Configuration(proxyBeanMethods = false)
public class TemplateConfig {

    @Bean
    TemplateCatalogue templateCatalogue(TenantSettings tenants, TemplateProperties templates) {
        TemplateCatalogue catalogue = new TemplateCatalogue();
        tenants.tenantIds().forEach(tenantId -> {
            DispatchProperties.DefaultTemplate template = tenants.settings(tenantId).defaultTemplate();
            // Without a configured body the template is known only once the provider's list has been read.
            if (template.body() != null) {
                catalogue.seed(tenants.wabaId(tenantId), List.of(new CatalogueTemplate(template.name(),
                        template.language(), null, CatalogueTemplate.APPROVED, template.body())));
            }
        });
        templates.catalogue().forEach((waba, list) ->
                catalogue.seed(waba, list.stream().map(TemplateProperties.Template::toTemplate).toList()));
        return catalogue;
    }

    @Bean
    TemplateValidator templateValidator(TemplateCatalogue catalogue, TenantSettings tenants) {
        return new TemplateValidator(catalogue, (TenantRules rules) -> tenants.wabaId(rules.tenantId()));
    }

    /** On the health endpoint as "templateCatalogue" (the bean name without the suffix). */
    @Bean
    TemplateCatalogueHealthIndicator templateCatalogueHealthIndicator(TemplateCatalogue catalogue) {
        return new TemplateCatalogueHealthIndicator(catalogue);
    }

    @Bean
    @ConditionalOnProperty(name = "answerline.dispatch.templates.sync-enabled", havingValue = "true")
    TemplateSync templateSync(WebClient.Builder builder, DispatchProperties dispatch, TenantSettings tenants,
                              TemplateProperties templates, TemplateCatalogue catalogue, Clock clock,
                              MeterRegistry registry) {
        DispatchProperties.WhatsApp whatsApp = dispatch.whatsapp();
        TemplateListClient client = new TemplateListClient(WhatsAppClient.cloudApi(builder,
                ProviderConfig.connector(whatsApp.connectTimeout(), whatsApp.readTimeout()),
                whatsApp.baseUrl().toString(), whatsApp.token()), whatsApp.apiVersion(), templates.pageSize());
        Set<String> wabaIds = new LinkedHashSet<>(tenants.wabaIds());
        wabaIds.addAll(templates.catalogue().keySet());
        return new TemplateSync(client, catalogue, wabaIds, templates.syncInterval(), templates.syncTimeout(), clock,
                registry);
    }

}
