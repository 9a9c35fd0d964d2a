package com.answerline.dispatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;

import com.answerline.avro.FallbackPolicy;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.support.ProductionConfig;

class DispatchPropertiesTest {

    final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void shouldBindTheDemoTenantsFromApplicationYmlWithoutViolations() {
        DispatchProperties properties = ProductionConfig.dispatchProperties();

        assertThat(validator.validate(properties)).isEmpty();
        assertThat(properties.tenantRules("demo").phoneNumberId()).isEqualTo("100000000000001");
        assertThat(properties.tenantRules("demo").displayNumber()).isEqualTo("15550000001");
        assertThat(properties.tenantRules("demo").policy()).isEqualTo(FallbackPolicy.SMS);
        assertThat(properties.tenantRules("other").phoneNumberId()).isEqualTo("100000000000002");
        assertThat(properties.safetyMargin()).hasSeconds(60);
        assertThat(properties.unknownConversationGrace()).hasSeconds(10)
                .isLessThan(properties.sessionCatchUpTimeout());
        assertThat(properties.tenantRules("nobody")).isNull();
    }

    @Test
    void shouldRefuseATenantWhosePolicyIsAuto() {
        DispatchProperties properties = ProductionConfig.dispatchProperties();
        DispatchProperties.Tenant demo = properties.tenants().get("demo");
        Map<String, DispatchProperties.Tenant> tenants = new HashMap<>(properties.tenants());
        tenants.put("demo", new DispatchProperties.Tenant(demo.phoneNumberId(), demo.displayNumber(), demo.wabaId(),
                FallbackPolicy.AUTO, demo.defaultTemplate(), demo.smsInvitation(), demo.continuePrefill(), null, null));

        Set<ConstraintViolation<DispatchProperties>> violations = validator.validate(new DispatchProperties(
                properties.safetyMargin(), properties.sessionCatchUpTimeout(), properties.unknownConversationGrace(),
                tenants, properties.whatsapp(), properties.sms(), properties.streams()));

        assertThat(violations).extracting(v -> v.getPropertyPath().toString()).containsExactly("tenants[demo].policyConcrete");
    }

    @Test
    void shouldRefuseADisplayNumberThatIsNotDigits() {
        DispatchProperties.Tenant demo = ProductionConfig.dispatchProperties().tenants().get("demo");
        DispatchProperties.Tenant broken = new DispatchProperties.Tenant(demo.phoneNumberId(), "+1 555 000", demo.wabaId(),
                demo.policy(), demo.defaultTemplate(), demo.smsInvitation(), demo.continuePrefill(), null, null);

        assertThat(validator.validate(broken)).extracting(v -> v.getPropertyPath().toString()).containsExactly("displayNumber");
    }

    @Test
    void shouldBindTheSmsSenderIdAndMaximumAndDefaultThem() {
        DispatchProperties.Tenant demo = ProductionConfig.dispatchProperties().tenants().get("demo");
        assertThat(demo.rules("demo").smsSenderId()).isEqualTo("+15550000001");
        assertThat(demo.rules("demo").smsMaxSegments()).isEqualTo(3);

        DispatchProperties.Tenant unset = new DispatchProperties.Tenant(demo.phoneNumberId(), "15550000009", demo.wabaId(),
                demo.policy(), demo.defaultTemplate(), demo.smsInvitation(), demo.continuePrefill(), null, null);
        assertThat(unset.rules("x").smsSenderId()).isEqualTo("+15550000009");
        assertThat(unset.rules("x").smsMaxSegments()).isEqualTo(TenantRules.DEFAULT_SMS_MAX_SEGMENTS);
    }

    @Test
    void shouldRefuseASenderIdThatIsNeitherE164NorAShortName() {
        DispatchProperties.Tenant demo = ProductionConfig.dispatchProperties().tenants().get("demo");
        DispatchProperties.Tenant broken = new DispatchProperties.Tenant(demo.phoneNumberId(), demo.displayNumber(),
                demo.wabaId(), demo.policy(), demo.defaultTemplate(), demo.smsInvitation(), demo.continuePrefill(),
                "Answerline Customer Care", 0);

        assertThat(validator.validate(broken)).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("smsSenderId", "smsMaxSegments");
    }
}
