package com.answerline.sandbox.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class TemplateCatalogueTest {

    private static final String NUMBER = "100000000000001";
    private static final String REOPEN_BODY = "Dear {{1}}, you have tried to reach us outside our business hours and we"
            + " were unable to answer your questions within 24 hours. If your question is still relevant, please reply"
            + " to this message with a thumbs up and we will answer as soon as possible! Best regards, {{2}}";

    private final TemplateCatalogue catalogue = new TemplateCatalogue(Map.of(NUMBER, List.of(
            MessageTemplate.of("customer_care_reopen", "en_US", TemplateCategory.UTILITY, TemplateStatus.APPROVED,
                    REOPEN_BODY, List.of()),
            MessageTemplate.of("paused_one", "en_US", TemplateCategory.MARKETING, TemplateStatus.PAUSED, "Hi", List.of()),
            MessageTemplate.of("pending_one", "en_US", TemplateCategory.UTILITY, TemplateStatus.PENDING, "Hi", List.of()))));

    @Test
    void shouldRenderTheBodyAsTheCustomerSeesIt() {
        // When
        String text = catalogue.render(NUMBER, "customer_care_reopen", "en_US", List.of("Ada", "Answerline"));

        // Then
        assertThat(text).startsWith("Dear Ada, you have tried to reach us")
                .endsWith("as soon as possible! Best regards, Answerline")
                .doesNotContain("{{");
    }

    @Test
    void shouldKeepParameterTextLiterally() {
        assertThat(catalogue.render(NUMBER, "customer_care_reopen", "en_US", List.of("$1 \\o/", "{{2}}")))
                .startsWith("Dear $1 \\o/,").endsWith("Best regards, {{2}}");
    }

    @Test
    void shouldRefuseAnUnknownTemplateWith132001() {
        assertThatThrownBy(() -> catalogue.render(NUMBER, "nope", "en_US", List.of()))
                .isInstanceOf(CloudApiException.class)
                .extracting(e -> ((CloudApiException) e).error().code()).isEqualTo(132001);
    }

    @Test
    void shouldRefuseAKnownTemplateInAnotherLanguageWith132001() {
        assertThatThrownBy(() -> catalogue.render(NUMBER, "customer_care_reopen", "nl", List.of("Ada", "X")))
                .extracting(e -> ((CloudApiException) e).error().code()).isEqualTo(132001);
    }

    @Test
    void shouldRefuseATemplateOfAnotherBusinessNumberWith132001() {
        assertThatThrownBy(() -> catalogue.render("100000000000002", "customer_care_reopen", "en_US", List.of("A", "B")))
                .extracting(e -> ((CloudApiException) e).error().code()).isEqualTo(132001);
    }

    @Test
    void shouldRefuseAParameterCountMismatchWith132000() {
        assertThatThrownBy(() -> catalogue.render(NUMBER, "customer_care_reopen", "en_US", List.of("Ada")))
                .asInstanceOf(InstanceOfAssertFactories.type(CloudApiException.class))
                .satisfies(e -> {
                    assertThat(e.error().code()).isEqualTo(132000);
                    assertThat(e.error().httpStatus()).isEqualTo(400);
                });
    }

    @Test
    void shouldRefuseTemplatesThatAreNotApproved() {
        assertThatThrownBy(() -> catalogue.render(NUMBER, "paused_one", "en_US", List.of()))
                .extracting(e -> ((CloudApiException) e).error().code()).isEqualTo(132015);
        assertThatThrownBy(() -> catalogue.render(NUMBER, "pending_one", "en_US", List.of()))
                .extracting(e -> ((CloudApiException) e).error().code()).isEqualTo(132001);
    }

    @Test
    void shouldRejectATemplateWithPlaceholderGaps() {
        assertThatThrownBy(() -> MessageTemplate.of("gap", "en_US", TemplateCategory.UTILITY, TemplateStatus.APPROVED,
                "Dear {{1}}, see {{3}}", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without gaps");
    }

    @Test
    void shouldRejectATemplateBodyOver1024Characters() {
        assertThatThrownBy(() -> MessageTemplate.of("long", "en_US", TemplateCategory.UTILITY, TemplateStatus.APPROVED,
                "x".repeat(1025), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
