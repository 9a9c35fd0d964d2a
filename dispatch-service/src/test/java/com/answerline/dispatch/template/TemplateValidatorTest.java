package com.answerline.dispatch.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.answerline.avro.OutcomeReason;
import com.answerline.dispatch.decision.TemplateCheck;
import com.answerline.dispatch.decision.TemplateCheck.Verdict;
import com.answerline.dispatch.decision.TemplateMessage;
import com.answerline.dispatch.decision.TenantPolicy;
import com.answerline.dispatch.decision.TenantRules;

class TemplateValidatorTest {

    static final String WABA = "200000000000001";
    static final String BODY = "Dear {{1}}, we could not answer within 24 hours. Best regards, {{2}}";
    static final TenantRules DEMO = new TenantRules("demo", "100000000000001", "15550000001", TenantPolicy.SMS,
            "customer_care_reopen", "en_US", BODY, "Reply on WhatsApp to continue:", "Hi");

    final TemplateCatalogue catalogue = new TemplateCatalogue();
    final TemplateValidator validator = new TemplateValidator(catalogue, tenant -> WABA);

    void given(String status) {
        catalogue.seed(WABA, List.of(new CatalogueTemplate("customer_care_reopen", "en_US", "UTILITY", status, BODY)));
    }

    @Test
    void shouldPassAnApprovedTemplateWithMatchingParametersAndRenderIt() {
        given("APPROVED");

        Verdict verdict = validator.check(DEMO, new TemplateMessage("customer_care_reopen", "en_US", List.of("Ada", "Grace")));

        assertThat(verdict.sendable()).isTrue();
        assertThat(verdict.text()).isEqualTo("Dear Ada, we could not answer within 24 hours. Best regards, Grace");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PAUSED", "REJECTED", "DISABLED", "PENDING"})
    void shouldNeverPassATemplateThatIsNotApproved(String status) {
        given(status);

        Verdict verdict = validator.check(DEMO, new TemplateMessage("customer_care_reopen", "en_US", List.of("Ada", "Grace")));

        assertThat(verdict.rejection()).isEqualTo(OutcomeReason.TEMPLATE_NOT_APPROVED);
        assertThat(verdict.text()).isNull();
        assertThat(verdict.detail()).contains(status);
    }

    @Test
    void shouldRejectAnUnknownName() {
        given("APPROVED");

        Verdict verdict = validator.check(DEMO, new TemplateMessage("summer_sale", "en_US", List.of()));

        assertThat(verdict.rejection()).isEqualTo(OutcomeReason.TEMPLATE_NOT_FOUND);
    }

    @Test
    void shouldRejectAKnownNameInAnotherLanguage() {
        given("APPROVED");

        Verdict verdict = validator.check(DEMO, new TemplateMessage("customer_care_reopen", "de", List.of("Ada", "Grace")));

        assertThat(verdict.rejection()).isEqualTo(OutcomeReason.TEMPLATE_LANGUAGE_NOT_FOUND);
    }

    @Test
    void shouldRejectTooFewAndTooManyParameters() {
        given("APPROVED");

        assertThat(validator.check(DEMO, new TemplateMessage("customer_care_reopen", "en_US", List.of("Ada"))).rejection())
                .isEqualTo(OutcomeReason.TEMPLATE_PARAMETER_MISMATCH);
        assertThat(validator.check(DEMO, new TemplateMessage("customer_care_reopen", "en_US", List.of("Ada", "Grace", "x")))
                .rejection()).isEqualTo(OutcomeReason.TEMPLATE_PARAMETER_MISMATCH);
    }

    @Test
    void shouldLookInTheTenantsOwnAccountOnly() {
        catalogue.seed("200000000000002", List.of(new CatalogueTemplate("customer_care_reopen", "en_US", "UTILITY",
                "APPROVED", BODY)));

        Verdict verdict = validator.check(DEMO, new TemplateMessage("customer_care_reopen", "en_US", List.of("Ada", "Grace")));

        assertThat(verdict.rejection()).isEqualTo(OutcomeReason.TEMPLATE_NOT_FOUND);
    }
}
