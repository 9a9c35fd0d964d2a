package com.answerline.dispatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;

import com.answerline.avro.FallbackPolicy;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;

class DispatchPropertiesTest {

    final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void shouldBindTheDemoTenantsFromApplicationYmlWithoutViolations() {
        DispatchProperties properties = ProductionConfig.dispatchProperties();
        TenantSettings tenants = ProductionConfig.tenants();

        assertThat(validator.validate(properties)).isEmpty();
        assertThat(tenants.rules("demo").phoneNumberId()).isEqualTo("100000000000001");
        assertThat(tenants.rules("demo").displayNumber()).isEqualTo("15550000001");
        assertThat(tenants.rules("demo").policy()).isEqualTo(FallbackPolicy.SMS);
        assertThat(tenants.rules("other").phoneNumberId()).isEqualTo("100000000000002");
        assertThat(tenants.wabaId("other")).isEqualTo("200000000000002");
        assertThat(tenants.wabaIds()).containsExactly("200000000000001", "200000000000002");
        assertThat(properties.safetyMargin()).hasSeconds(60);
        assertThat(properties.unknownConversationGrace()).hasSeconds(10)
                .isLessThan(properties.sessionCatchUpTimeout());
        assertThat(tenants.rules("nobody")).isNull();
        assertThat(tenants.wabaId("nobody")).isNull();
    }

    @Test
    void shouldRefuseATenantWhosePolicyIsAuto() {
        DispatchProperties properties = ProductionConfig.dispatchProperties();
        DispatchProperties.Tenant demo = properties.tenants().get("demo");
        Map<String, DispatchProperties.Tenant> tenants = new HashMap<>(properties.tenants());
        tenants.put("demo", new DispatchProperties.Tenant(FallbackPolicy.AUTO, demo.defaultTemplate(),
                demo.smsInvitation(), demo.continuePrefill(), null, null));

        Set<ConstraintViolation<DispatchProperties>> violations = validator.validate(new DispatchProperties(
                properties.safetyMargin(), properties.sessionCatchUpTimeout(), properties.unknownConversationGrace(),
                tenants, properties.whatsapp(), properties.sms(), properties.streams()));

        assertThat(violations).extracting(v -> v.getPropertyPath().toString()).containsExactly("tenants[demo].policyConcrete");
    }

    @Test
    void shouldRefuseToStartWhenTheDirectoryAndDispatchsTenantsDisagree() {
        Map<String, DispatchProperties.Tenant> settings = ProductionConfig.dispatchProperties().tenants();
        BusinessNumber demo = new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001");
        BusinessNumber third = new BusinessNumber("third", "100000000000003", "15550000003", "200000000000003");

        // A tenant with a number but no policy, and a policy for a tenant with no number
        assertThatThrownBy(() -> new TenantSettings(new TenantDirectory(List.of(demo, third)), settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tenant third has a business number (answerline.tenants) but no "
                        + "answerline.dispatch.tenants.third")
                .hasMessageContaining("answerline.dispatch.tenants.other names a tenant with no business number");
        // Two numbers for one tenant: the decision checks conversations against one
        assertThatThrownBy(() -> new TenantSettings(new TenantDirectory(List.of(demo,
                new BusinessNumber("demo", "100000000000009", "15550000009", "200000000000001"),
                new BusinessNumber("other", "100000000000002", "15550000002", "200000000000002"))), settings))
                .hasMessageContaining("tenant demo owns more than one business number");
    }

    @Test
    void shouldBindTheSmsSenderIdAndMaximumAndDefaultThem() {
        TenantSettings tenants = ProductionConfig.tenants();
        assertThat(tenants.rules("demo").smsSenderId()).isEqualTo("+15550000001");
        assertThat(tenants.rules("demo").smsMaxSegments()).isEqualTo(3);

        // other sets neither: the display number in E.164 and the default maximum
        assertThat(tenants.rules("other").smsSenderId()).isEqualTo("+15550000002");
        assertThat(tenants.rules("other").smsMaxSegments()).isEqualTo(TenantRules.DEFAULT_SMS_MAX_SEGMENTS);
    }

    @Test
    void shouldRefuseASenderIdThatIsNeitherE164NorAShortName() {
        DispatchProperties.Tenant demo = ProductionConfig.dispatchProperties().tenants().get("demo");
        DispatchProperties.Tenant broken = new DispatchProperties.Tenant(demo.policy(), demo.defaultTemplate(),
                demo.smsInvitation(), demo.continuePrefill(), "Answerline Customer Care", 0);

        assertThat(validator.validate(broken)).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("smsSenderId", "smsMaxSegments");
    }
}
