package com.answerline.dispatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.answerline.dispatch.decision.TenantPolicy;
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
        assertThat(tenants.rules("demo").policy()).isEqualTo(TenantPolicy.SMS);
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
    void shouldRefuseATenantWhosePolicyIsAutoAndAcceptCheapest() {
        // AUTO would mean itself: it is no tenant policy, so it does not even bind
        assertThatThrownBy(() -> bindTenant("AUTO")).isInstanceOf(BindException.class);

        assertThat(bindTenant("cheapest").policy()).isEqualTo(TenantPolicy.CHEAPEST);
        assertThat(bindTenant("TEMPLATE_THEN_HOLD").policy()).isEqualTo(TenantPolicy.TEMPLATE_THEN_HOLD);
    }

    private static DispatchProperties.Tenant bindTenant(String policy) {
        return new Binder(new MapConfigurationPropertySource(Map.of("tenant.policy", policy, "tenant.sms-invitation", "x")))
                .bind("tenant", DispatchProperties.Tenant.class).get();
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
                demo.smsInvitation(), demo.continuePrefill(), "Answerline Customer Care", 0, null, null);

        assertThat(validator.validate(broken)).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("smsSenderId", "smsMaxSegments");
    }

    @Test
    void shouldDefaultTheReplyValidityTo15MinutesAndRefuseANegativeOne() {
        DispatchProperties.Tenant demo = ProductionConfig.dispatchProperties().tenants().get("demo");
        DispatchProperties.Tenant negative = new DispatchProperties.Tenant(demo.policy(), demo.defaultTemplate(),
                demo.smsInvitation(), demo.continuePrefill(), null, null, java.time.Duration.ofSeconds(-1), null);

        // demo sets 15m in application.yml, other sets nothing: the default
        assertThat(ProductionConfig.tenants().rules("demo").replyValidity()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(ProductionConfig.tenants().rules("other").replyValidity()).isEqualTo(TenantRules.DEFAULT_REPLY_VALIDITY);
        assertThat(validator.validate(negative)).extracting(v -> v.getPropertyPath().toString())
                .containsExactly("replyValidityValid");
    }

    @Test
    void shouldBindDirectSendPerNumberEnabledForDemoAndOffByDefault() {
        TenantSettings tenants = ProductionConfig.tenants();

        // demo enables it in application.yml; other sets nothing
        assertThat(tenants.rules("demo").directSend()).isEqualTo(new TenantRules.DirectSend(true, java.time.Duration.ofHours(24)));
        assertThat(tenants.rules("other").directSend()).isEqualTo(TenantRules.DirectSend.DISABLED);
        assertThat(bindTenant("DIRECT_SEND").policy()).isEqualTo(TenantPolicy.DIRECT_SEND);
    }

    @Test
    void shouldDefaultTheDirectSendRecheckAndRefuseOneThatIsNotPositive() {
        Map<String, String> config = Map.of("tenant.policy", "SMS", "tenant.direct-send.enabled", "true");
        DispatchProperties.Tenant enabled = new Binder(new MapConfigurationPropertySource(config))
                .bind("tenant", DispatchProperties.Tenant.class).get();
        DispatchProperties.Tenant demo = ProductionConfig.dispatchProperties().tenants().get("demo");
        DispatchProperties.Tenant zero = new DispatchProperties.Tenant(demo.policy(), demo.defaultTemplate(),
                demo.smsInvitation(), demo.continuePrefill(), null, null, null,
                new DispatchProperties.DirectSend(true, java.time.Duration.ZERO));

        assertThat(enabled.directSendRules()).isEqualTo(new TenantRules.DirectSend(true, TenantRules.DirectSend.DEFAULT_RECHECK_AFTER));
        assertThat(validator.validate(zero)).extracting(v -> v.getPropertyPath().toString())
                .containsExactly("directSend.recheckAfterValid");
    }
}
