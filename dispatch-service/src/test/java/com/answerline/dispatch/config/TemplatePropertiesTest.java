package com.answerline.dispatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;

import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.template.TemplateCatalogue;

class TemplatePropertiesTest {

    final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void shouldSyncEveryFiveMinutesByDefault() {
        TemplateProperties properties = ProductionConfig.templateProperties();

        assertThat(validator.validate(properties)).isEmpty();
        assertThat(properties.syncEnabled()).isTrue();
        assertThat(properties.syncInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.syncTimeout()).isPositive();
        assertThat(properties.catalogue()).isEmpty();
    }

    @Test
    void shouldSeedEveryTenantsDefaultTemplateAsApprovedInItsOwnAccount() {
        TemplateCatalogue catalogue = new TemplateConfig().templateCatalogue(ProductionConfig.tenants(),
                ProductionConfig.templateProperties());

        assertThat(catalogue.find("200000000000001", "customer_care_reopen", "en_US"))
                .hasValueSatisfying(template -> {
                    assertThat(template.approved()).isTrue();
                    assertThat(template.parameterCount()).isEqualTo(2);
                });
        assertThat(catalogue.find("200000000000002", "customer_care_reopen", "en_US")).isPresent();
    }
}
