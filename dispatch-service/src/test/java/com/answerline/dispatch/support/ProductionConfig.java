package com.answerline.dispatch.support;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import com.answerline.dispatch.config.DispatchProperties;
import com.answerline.dispatch.config.HoldProperties;
import com.answerline.dispatch.config.TemplateProperties;
import com.answerline.dispatch.config.TenantSettings;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.pricing.OutcomeCosts;
import com.answerline.dispatch.pricing.PricingProperties;
import com.answerline.dispatch.pricing.TemplateCategories;
import com.answerline.dispatch.provider.ProviderResilienceProperties;
import com.answerline.dispatch.send.SenderProperties;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.platform.tenant.TenantDirectoryAutoConfiguration;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.platform.upstream.UpstreamRules;

/** The production application.yml, bound as the application binds it, for tests without a Spring context. */
public final class ProductionConfig {

    private ProductionConfig() {
    }

    public static DispatchProperties dispatchProperties() {
        return bind("answerline.dispatch", DispatchProperties.class);
    }

    /** The one tenant directory (answerline.tenants), bound as every service binds it. */
    public static TenantDirectory tenantDirectory() {
        return TenantDirectoryAutoConfiguration.bind(binder());
    }

    /** The tenants' business numbers joined with dispatch's settings, as the application joins them. */
    public static TenantSettings tenants() {
        return new TenantSettings(tenantDirectory(), dispatchProperties().tenants());
    }

    public static HoldProperties holdProperties() {
        return bind("answerline.dispatch.hold", HoldProperties.class);
    }

    public static TemplateProperties templateProperties() {
        return bind("answerline.dispatch.templates", TemplateProperties.class);
    }

    public static ProviderResilienceProperties providerResilience() {
        return bind("answerline.dispatch.providers", ProviderResilienceProperties.class);
    }

    public static SenderProperties senderProperties() {
        return bind("answerline.dispatch.sender", SenderProperties.class);
    }

    public static PricingProperties pricingProperties() {
        return bind("answerline.dispatch.pricing", PricingProperties.class);
    }

    /** The upstream guard as dispatch runs it: application.yml's tenants, the catalogue's partition count. */
    public static UpstreamGuard.Settings upstreamGuard(Clock clock) {
        return new UpstreamGuard.Settings(new UpstreamRules(tenantDirectory(), clock),
                Topics.CONVERSATION_PARTITIONS, new SimpleMeterRegistry());
    }

    /** The cost estimate with the production price list, templates unknown (category: the configured default). */
    public static OutcomeCosts outcomeCosts() {
        return new OutcomeCosts(new CostEstimator(pricingProperties()),
                new TemplateCategories(new TemplateCatalogue(), tenant -> null));
    }

    private static <T> T bind(String prefix, Class<T> type) {
        return binder().bind(prefix, type)
                .orElseThrow(() -> new IllegalStateException("no " + prefix + " in application.yml"));
    }

    private static Binder binder() {
        try {
            List<PropertySource<?>> yaml = new YamlPropertySourceLoader()
                    .load("application.yml", new ClassPathResource("application.yml"));
            MutablePropertySources sources = new MutablePropertySources();
            yaml.forEach(sources::addLast);
            // Placeholders resolved as the application resolves them (safety-margin: ${answerline.window.safety-margin}).
            return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
