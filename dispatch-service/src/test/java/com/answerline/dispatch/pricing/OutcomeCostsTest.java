package com.answerline.dispatch.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.CostEstimate;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.TemplateRef;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.Explanation;
import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.dispatch.wire.WireMapping;

class OutcomeCostsTest {

    static final String WABA = "200000000000001";
    static final String DE_PHONE = "4915112345678";

    final TemplateCatalogue catalogue = new TemplateCatalogue();
    final OutcomeCosts costs;

    OutcomeCostsTest() {
        catalogue.seed(WABA, List.of(
                new CatalogueTemplate("customer_care_reopen", "en_US", null, CatalogueTemplate.APPROVED, "Dear {{1}}"),
                new CatalogueTemplate("order_update", "de_DE", "UTILITY", CatalogueTemplate.APPROVED, "Hallo {{1}}"),
                new CatalogueTemplate("spring_sale", "de_DE", "MARKETING", CatalogueTemplate.APPROVED, "Sale {{1}}")));
        costs = new OutcomeCosts(new CostEstimator(CostEstimatorTest.bind(CostEstimatorTest.priceList())),
                new TemplateCategories(catalogue, tenant -> "demo".equals(tenant)
                        ? new TemplateCategories.TenantTemplates(WABA, "customer_care_reopen", "en_US") : null));
    }

    @Test
    void shouldPriceAFreeFormReplyByTheDayItWasSent() {
        DispatchOutcome september = withCostOf(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN")
                        .setOccurredAt(Instant.parse("2026-09-30T10:00:00Z")),
                request(Channel.WHATSAPP, DE_PHONE, null, WindowState.OPEN));
        DispatchOutcome november = withCostOf(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN"),
                request(Channel.WHATSAPP, DE_PHONE, null, WindowState.OPEN));

        assertThat(september.getEstimatedCost()).isEqualTo(cost(0, "SERVICE free in window since 2025-07-01"));
        assertThat(november.getEstimatedCost()).isEqualTo(cost(45_600, "SERVICE at UTILITY rate DE since 2026-10-01"));
    }

    @Test
    void shouldPriceAReplyInsideTheFreeEntryPointTheDecisionSawAsFree() {
        // Given a decision that saw a free entry point until three days after the ad click
        SendRequest request = request(Channel.WHATSAPP, DE_PHONE, null, WindowState.OPEN);
        request.setExplanation(WireMapping.explanation(new Explanation(WindowState.OPEN, null, null, FallbackPolicy.SMS,
                4L, List.of("AUTO->SMS"), List.of(), Instant.parse("2026-11-27T09:00:00Z"))));

        DispatchOutcome priced = withCostOf(outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN"), request);

        assertThat(priced.getEstimatedCost()).isEqualTo(cost(0, "FREE_ENTRY_POINT SERVICE until 2026-11-27T09:00:00Z"));
    }

    @Test
    void shouldPriceTheRequestsTemplateByItsCatalogueCategoryAndTheRecipientsCountry() {
        DispatchOutcome priced = withCostOf(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "TEMPLATE_REQUESTED"),
                request(Channel.WHATSAPP_TEMPLATE, DE_PHONE, template("spring_sale", "de_DE"), WindowState.CLOSED));

        assertThat(priced.getEstimatedCost()).isEqualTo(cost(113_100, "TEMPLATE MARKETING DE since 2026-10-01"));
    }

    @Test
    void shouldPriceAUtilityTemplateWhileTheWindowIsOpenOrClosingByTheInWindowRule() {
        for (WindowState open : List.of(WindowState.OPEN, WindowState.CLOSING)) {
            DispatchOutcome september = withCostOf(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "TEMPLATE_REQUESTED")
                            .setOccurredAt(Instant.parse("2026-09-30T10:00:00Z")),
                    request(Channel.WHATSAPP_TEMPLATE, DE_PHONE, template("order_update", "de_DE"), open));
            DispatchOutcome november = withCostOf(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "TEMPLATE_REQUESTED"),
                    request(Channel.WHATSAPP_TEMPLATE, DE_PHONE, template("order_update", "de_DE"), open));

            assertThat(september.getEstimatedCost()).isEqualTo(cost(0, "TEMPLATE UTILITY DE in window free since 2025-07-01"));
            assertThat(november.getEstimatedCost()).isEqualTo(cost(45_600, "TEMPLATE UTILITY DE in window since 2026-10-01"));
        }
    }

    @Test
    void shouldPriceTheTenantsDefaultTemplateWhenAFreeFormReplyFellBackToATemplate() {
        // Given a free-form request WhatsApp refused (131047) that went out as the default template: the window is
        // closed whatever the decision saw, and the category is unknown until the template list is synced
        DispatchOutcome priced = withCostOf(
                outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "PROVIDER_WINDOW_CLOSED_TEMPLATE_FALLBACK"),
                request(Channel.WHATSAPP, DE_PHONE, null, WindowState.OPEN));

        assertThat(priced.getEstimatedCost()).isEqualTo(cost(45_600, "TEMPLATE UTILITY DE since 2026-10-01 (category unknown)"));
    }

    @Test
    void shouldPriceTheHeldInvitationTemplate() {
        DispatchOutcome priced = withCostOf(
                outcome(OutcomeStatus.HELD, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_ANSWER_HELD").setFinal$(false),
                request(Channel.WHATSAPP_TEMPLATE, null, template("order_update", "de_DE"), WindowState.CLOSED));

        assertThat(priced.getEstimatedCost()).isEqualTo(cost(20_000, "TEMPLATE UTILITY default since 2026-10-01"));
    }

    @Test
    void shouldPriceSmsBySegmentsAndCountry() {
        DispatchOutcome priced = withCostOf(
                outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK").setSmsSegments(2),
                request(Channel.SMS, DE_PHONE, null, WindowState.CLOSED));
        DispatchOutcome unknownSegments = withCostOf(
                outcome(OutcomeStatus.SENT, Channel.SMS, "WINDOW_CLOSED_SMS_FALLBACK"),
                request(Channel.SMS, DE_PHONE, null, WindowState.CLOSED));

        assertThat(priced.getEstimatedCost()).isEqualTo(cost(150_000, "SMS 2 x DE since 2026-10-01"));
        assertThat(unknownSegments.getEstimatedCost()).isEqualTo(cost(75_000, "SMS 1 x DE since 2026-10-01 (segments unknown)"));
    }

    @Test
    void shouldPriceAFailoverAsOutsideTheWindow() {
        DispatchOutcome priced = withCostOf(
                outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "DELIVERY_FAILED_TEMPLATE_FALLBACK").setStep(SendStep.FAILOVER),
                request(Channel.WHATSAPP_TEMPLATE, DE_PHONE, template("order_update", "de_DE"), WindowState.OPEN));

        // outside the window: the regular utility price (the same figure since October 2026, but not "in window")
        assertThat(priced.getEstimatedCost()).isEqualTo(cost(45_600, "TEMPLATE UTILITY DE since 2026-10-01"));
    }

    @Test
    void shouldPriceADirectSendAtTheUtilityRateOfTheRecipientsCountry() {
        DispatchOutcome priced = withCostOf(
                outcome(OutcomeStatus.SENT, Channel.WHATSAPP_DIRECT_SEND, "WINDOW_CLOSED_DIRECT_SEND"),
                request(Channel.WHATSAPP_DIRECT_SEND, DE_PHONE, null, WindowState.CLOSED));

        assertThat(priced.getEstimatedCost()).isEqualTo(cost(45_600, "DIRECT_SEND at UTILITY rate DE since 2026-10-01"));
    }

    @Test
    void shouldPriceNothingThatDidNotGoOut() {
        for (OutcomeStatus status : List.of(OutcomeStatus.FAILED, OutcomeStatus.REJECTED, OutcomeStatus.PENDING,
                OutcomeStatus.EXPIRED, OutcomeStatus.CANCELLED)) {
            DispatchOutcome outcome = outcome(status, Channel.WHATSAPP_TEMPLATE, "UNSPECIFIED")
                    .setEstimatedCost(cost(1, "stale")).build();

            assertThat(costs.withCost(outcome, request(Channel.WHATSAPP_TEMPLATE, DE_PHONE, null, WindowState.CLOSED))
                    .getEstimatedCost()).as(status.name()).isNull();
        }
        assertThat(withCostOf(outcome(OutcomeStatus.SENT, null, "UNSPECIFIED"),
                request(Channel.WHATSAPP, DE_PHONE, null, WindowState.OPEN)).getEstimatedCost()).isNull();
    }

    @Test
    void shouldLeaveTheRestOfTheOutcomeAsItWas() {
        DispatchOutcome outcome = outcome(OutcomeStatus.SENT, Channel.WHATSAPP, "WINDOW_OPEN").setProviderMessageId("wamid.1").build();

        DispatchOutcome priced = costs.withCost(outcome, request(Channel.WHATSAPP, DE_PHONE, null, WindowState.OPEN));

        assertThat(DispatchOutcome.newBuilder(priced).setEstimatedCost(null).build()).isEqualTo(outcome);
    }

    @Test
    void shouldNotFailASendWhenTheTenantIsUnknown() {
        SendRequest request = request(Channel.WHATSAPP_TEMPLATE, DE_PHONE, template("spring_sale", "de_DE"), WindowState.CLOSED);
        request.setTenantId("nobody");

        assertThat(withCostOf(outcome(OutcomeStatus.SENT, Channel.WHATSAPP_TEMPLATE, "TEMPLATE_REQUESTED"), request)
                .getEstimatedCost()).isEqualTo(cost(45_600, "TEMPLATE UTILITY DE since 2026-10-01 (category unknown)"));
    }

    private DispatchOutcome withCostOf(DispatchOutcome.Builder outcome, SendRequest request) {
        return costs.withCost(outcome.build(), request);
    }

    private DispatchOutcome.Builder outcome(OutcomeStatus status, Channel channel, String reason) {
        return DispatchOutcome.newBuilder()
                .setCommandId("c-1").setTenantId("demo").setConversationId("100000000000001:" + DE_PHONE)
                .setStatus(status).setChannel(channel).setOutcomeReason(OutcomeReason.valueOf(reason)).setReason(reason)
                .setFinal$(true)
                .setOccurredAt(Instant.parse("2026-11-25T10:00:00Z"));
    }

    private static SendRequest request(Channel channel, String phone, TemplateRef template, WindowState window) {
        return SendRequest.newBuilder()
                .setCommandId("c-1").setTenantId("demo").setConversationId("100000000000001:" + DE_PHONE)
                .setPhoneNumberId("100000000000001").setChannel(channel).setRecipientPhone(phone)
                .setTemplate(template)
                .setExplanation(DecisionExplanation.newBuilder().setWindowState(window).setPolicy(FallbackPolicy.AUTO).build())
                .setDecidedAt(Instant.parse("2026-11-25T10:00:00Z"))
                .build();
    }

    private static TemplateRef template(String name, String language) {
        return TemplateRef.newBuilder().setName(name).setLanguage(language).build();
    }

    private static CostEstimate cost(long micros, String basis) {
        return CostEstimate.newBuilder().setCurrency("EUR").setAmountMicros(micros).setBasis(basis).build();
    }
}
