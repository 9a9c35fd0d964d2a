package com.answerline.dispatch.decision;

import static com.answerline.dispatch.decision.ChannelDeciderTest.NOW;
import static com.answerline.dispatch.decision.ChannelDeciderTest.PHONE;
import static com.answerline.dispatch.decision.ChannelDeciderTest.sessionExpiringAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.ContentCategory;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.pricing.FallbackPriceList;
import com.answerline.dispatch.pricing.TemplateCategories;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.TestPriceList;
import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.dispatch.template.TemplateValidator;

/**
 * The tenant policy CHEAPEST: a reply with fallback AUTO to a closed window takes the cheaper allowed of SMS with the
 * link and the tenant's template, priced by the real price list ({@link TestPriceList}: DE SMS 0.075 per segment, DE
 * UTILITY 0.0456, DE MARKETING 0.1131; NOW is after 1 October 2026) and the real template catalogue.
 */
class ChannelDeciderCheapestTest {

    static final String WABA = "200000000000001";
    static final TenantRules CHEAPEST = ChannelDeciderTest.tenant(TenantPolicy.CHEAPEST);
    static final String SHORT = "Your parcel left today.";

    final TemplateCatalogue catalogue = new TemplateCatalogue();
    final ChannelDecider decider = new ChannelDecider(new MutableClock(NOW), Duration.ofSeconds(60),
            new TemplateValidator(catalogue, rules -> WABA),
            new FallbackPriceList(new CostEstimator(TestPriceList.properties()),
                    new TemplateCategories(catalogue, tenant -> new TemplateCategories.TenantTemplates(WABA,
                            "customer_care_reopen", "en_US"))));

    void invitationIs(String category, String status) {
        catalogue.synced(WABA, List.of(new CatalogueTemplate("customer_care_reopen", "en_US", category, status,
                ChannelDeciderTest.TEMPLATE_BODY)), NOW);
    }

    static ReplyRequest reply(String text) {
        return new ReplyRequest("cmd-1", "demo", ChannelDeciderTest.CONVERSATION, "agent-7", "Grace", text, null,
                FallbackPolicy.AUTO, 3L);
    }

    static SessionSnapshot closed() {
        return sessionExpiringAt(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void shouldTakeTheTemplateWhenItCostsLessThanTheSms() {
        // Given a UTILITY invitation (0.0456 in DE) and a one-segment SMS to a German mobile (0.075)
        invitationIs("UTILITY", CatalogueTemplate.APPROVED);

        // When the agent answers a closed window with AUTO
        Decision decision = decider.decide(reply(SHORT), closed(), CHEAPEST);

        // Then the template goes, and the explanation says what was compared
        Decision.Send send = (Decision.Send) decision;
        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK);
        assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.TEMPLATE);
        assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->CHEAPEST",
                "CHEAPEST->TEMPLATE: TEMPLATE 0.0456 EUR (TEMPLATE UTILITY DE since 2026-10-01)"
                        + " < SMS 0.075 EUR (SMS 1 x DE since 2026-10-01)",
                "TEMPLATE");
    }

    @Test
    void shouldTakeTheSmsWhenItCostsLessThanTheTemplate() {
        // Given a MARKETING invitation (0.1131 in DE) and a one-segment SMS (0.075)
        invitationIs("MARKETING", CatalogueTemplate.APPROVED);

        Decision decision = decider.decide(reply(SHORT), closed(), CHEAPEST);

        Decision.Send send = (Decision.Send) decision;
        assertThat(send.channel()).isEqualTo(Channel.SMS);
        assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK);
        assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.SMS);
        assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->CHEAPEST",
                "CHEAPEST->SMS: SMS 0.075 EUR (SMS 1 x DE since 2026-10-01)"
                        + " <= TEMPLATE 0.1131 EUR (TEMPLATE MARKETING DE since 2026-10-01)",
                "SMS");
    }

    @Test
    void shouldCountTheSegmentsOfTheAgentsTextSoALongAnswerTipsItToTheTemplate() {
        // Given a MARKETING invitation (0.1131) and an answer whose SMS (with the invitation and the link) takes two segments (2 x 0.075 = 0.15)
        invitationIs("MARKETING", CatalogueTemplate.APPROVED);

        Decision.Send send = (Decision.Send) decider.decide(reply("a".repeat(100)), closed(), CHEAPEST);

        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.explanation().fallbackChain()).contains("CHEAPEST->TEMPLATE: TEMPLATE 0.1131 EUR "
                + "(TEMPLATE MARKETING DE since 2026-10-01) < SMS 0.15 EUR (SMS 2 x DE since 2026-10-01)");
    }

    @Test
    void shouldTakeTheTemplateInsideAFreeEntryPointWhereWhatsAppChargesNothing() {
        // Given a customer who came from an ad an hour ago, answered since, whose window closes in 30 s (CLOSING)
        invitationIs("MARKETING", CatalogueTemplate.APPROVED);
        Instant clicked = NOW.minus(Duration.ofHours(1));
        SessionSnapshot fromAd = new SessionSnapshot(3, "100000000000001", PHONE, null, "Ada", NOW.plusSeconds(30),
                true, clicked, null);

        Decision.Send send = (Decision.Send) decider.decide(reply(SHORT), fromAd, CHEAPEST);

        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.explanation().freeEntryPointUntil()).isEqualTo(clicked.plus(Duration.ofHours(72)));
        assertThat(send.explanation().fallbackChain()).contains("CHEAPEST->TEMPLATE: TEMPLATE 0 EUR (FREE_ENTRY_POINT "
                + "TEMPLATE MARKETING until 2026-11-28T11:00:00Z) < SMS 0.075 EUR (SMS 1 x DE since 2026-10-01)");
    }

    @Test
    void shouldTakeTheTemplateWhenTheSmsCannotGoHoweverCheapItIs() {
        invitationIs("MARKETING", CatalogueTemplate.APPROVED);
        SessionSnapshot landline = new SessionSnapshot(3, "100000000000001", "493012345678", null, "Ada",
                NOW.minus(Duration.ofHours(1)));

        Decision.Send send = (Decision.Send) decider.decide(new ReplyRequest("cmd-1", "demo",
                "100000000000001:493012345678", "agent-7", "Grace", SHORT, null, FallbackPolicy.AUTO, 3L), landline, CHEAPEST);

        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->CHEAPEST",
                "SMS unavailable: not a mobile number", "CHEAPEST->TEMPLATE", "TEMPLATE");
    }

    @Test
    void shouldTakeTheSmsWhenTheTemplateCannotGoHoweverCheapItIs() {
        invitationIs("UTILITY", "PAUSED");

        Decision.Send send = (Decision.Send) decider.decide(reply(SHORT), closed(), CHEAPEST);

        assertThat(send.channel()).isEqualTo(Channel.SMS);
        assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->CHEAPEST",
                "CHEAPEST->SMS: template customer_care_reopen/en_US unavailable (TEMPLATE_NOT_APPROVED)", "SMS");
    }

    @Test
    void shouldFallBackAfterARefusalByTheChoiceMadeWhileTheWindowWasOpen() {
        // Given a free-form reply sent into an open window: CHEAPEST already chose the fallback (priced as outside)
        invitationIs("UTILITY", CatalogueTemplate.APPROVED);
        Decision.Send freeForm = (Decision.Send) decider.decide(reply(SHORT),
                sessionExpiringAt(NOW.plus(Duration.ofHours(2))), CHEAPEST);
        assertThat(freeForm.channel()).isEqualTo(Channel.WHATSAPP);
        assertThat(freeForm.explanation().policy()).isEqualTo(FallbackPolicy.TEMPLATE);

        // When WhatsApp refuses it with 131047
        Decision fallback = decider.afterWhatsAppRefusal(freeForm, 131047, CHEAPEST, false);

        // Then the cheaper fallback goes
        assertThat(((Decision.Send) fallback).channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
    }

    @Test
    void shouldLeaveACommandsOwnFallbackAlone() {
        invitationIs("MARKETING", CatalogueTemplate.APPROVED);

        Decision.Send send = (Decision.Send) decider.decide(new ReplyRequest("cmd-1", "demo",
                ChannelDeciderTest.CONVERSATION, "agent-7", "Grace", SHORT, null, FallbackPolicy.TEMPLATE, 3L), closed(), CHEAPEST);

        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.explanation().fallbackChain()).containsExactly("TEMPLATE");
    }

    @Test
    void shouldStartAnUnknownConversationWithTheTemplateOnly() {
        invitationIs("MARKETING", CatalogueTemplate.APPROVED);

        Decision.Send send = (Decision.Send) decider.decide(reply(SHORT), null, CHEAPEST);

        assertThat(send.reason()).isEqualTo(OutcomeReason.UNKNOWN_CONVERSATION_TEMPLATE);
        assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->CHEAPEST",
                "CHEAPEST->TEMPLATE: unknown conversation, only a template may start it", "TEMPLATE");
    }

    /** CHEAPEST on a number with Direct Send enabled (issue 19): the agent's UTILITY text is a third candidate. */
    @org.junit.jupiter.api.Nested
    class WithDirectSend {

        final TenantRules cheapestWithDirectSend = ChannelDeciderDirectSendTest.tenant(TenantPolicy.CHEAPEST, true);

        ReplyRequest utility() {
            return ChannelDeciderDirectSendTest.reply(PHONE, FallbackPolicy.AUTO, ContentCategory.UTILITY);
        }

        @Test
        void shouldSendThroughDirectSendWhenItCostsNoMoreThanTheCheaperOfTheOthers() {
            // Given a UTILITY invitation (0.0456 in DE), a one-segment SMS (0.075) and Direct Send at DE's utility rate
            invitationIs("UTILITY", CatalogueTemplate.APPROVED);

            // When the agent answers a closed window with a UTILITY text and AUTO
            Decision.Send send = (Decision.Send) decider.decide(utility(), closed(), cheapestWithDirectSend);

            // Then the tie with the template goes to Direct Send (the agent's own words), and the chain says why
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
            assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_DIRECT_SEND);
            assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.DIRECT_SEND);
            assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->CHEAPEST",
                    "CHEAPEST->DIRECT_SEND: DIRECT_SEND 0.0456 EUR (DIRECT_SEND at UTILITY rate DE since 2026-10-01)"
                            + " <= SMS 0.075 EUR (SMS 1 x DE since 2026-10-01),"
                            + " TEMPLATE 0.0456 EUR (TEMPLATE UTILITY DE since 2026-10-01)",
                    "DIRECT_SEND");
        }

        @Test
        void shouldTakeACheaperSmsAndSayWhatDirectSendWouldHaveCost() {
            // Given SMS to Germany at 0.01 from October 2026, below Direct Send's 0.0456
            Map<String, String> config = new java.util.LinkedHashMap<>(TestPriceList.config());
            config.put("periods[1].sms.DE", "0.01");
            ChannelDecider cheapSms = new ChannelDecider(new MutableClock(NOW), Duration.ofSeconds(60),
                    new TemplateValidator(catalogue, rules -> WABA),
                    new FallbackPriceList(new CostEstimator(TestPriceList.bind(config)),
                            new TemplateCategories(catalogue, tenant -> new TemplateCategories.TenantTemplates(WABA,
                                    "customer_care_reopen", "en_US"))));
            invitationIs("MARKETING", CatalogueTemplate.APPROVED);

            Decision.Send send = (Decision.Send) cheapSms.decide(utility(), closed(), cheapestWithDirectSend);

            assertThat(send.channel()).isEqualTo(Channel.SMS);
            assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->CHEAPEST",
                    "DIRECT_SEND 0.0456 EUR (DIRECT_SEND at UTILITY rate DE since 2026-10-01)"
                            + " > SMS 0.01 EUR (SMS 1 x DE since 2026-10-01)",
                    "CHEAPEST->SMS: SMS 0.01 EUR (SMS 1 x DE since 2026-10-01)"
                            + " <= TEMPLATE 0.1131 EUR (TEMPLATE MARKETING DE since 2026-10-01)",
                    "SMS");
        }

        @Test
        void shouldSendThroughDirectSendWhenNeitherTheSmsNorTheTemplateCanGo() {
            // Given a landline (no SMS) and a paused invitation (no template)
            invitationIs("UTILITY", "PAUSED");
            SessionSnapshot landline = new SessionSnapshot(3, "100000000000001", "493012345678", null, "Ada",
                    NOW.minus(Duration.ofHours(1)));

            Decision.Send send = (Decision.Send) decider.decide(ChannelDeciderDirectSendTest.reply("493012345678",
                    FallbackPolicy.AUTO, ContentCategory.UTILITY), landline, cheapestWithDirectSend);

            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
            assertThat(send.explanation().fallbackChain()).contains("CHEAPEST->DIRECT_SEND: DIRECT_SEND 0.0456 EUR "
                    + "(DIRECT_SEND at UTILITY rate DE since 2026-10-01), SMS and template not priced or cannot go");
        }

        @Test
        void shouldSayWhyDirectSendIsNotACandidateForATextNotMarkedUtility() {
            invitationIs("UTILITY", CatalogueTemplate.APPROVED);

            Decision.Send send = (Decision.Send) decider.decide(ChannelDeciderDirectSendTest.reply(PHONE,
                    FallbackPolicy.AUTO, null), closed(), cheapestWithDirectSend);

            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.explanation().fallbackChain()).startsWith("AUTO->CHEAPEST",
                    "DIRECT_SEND unavailable: not utility");
        }

        @Test
        void shouldNotMentionDirectSendWhereTheNumberDoesNotHaveIt() {
            invitationIs("UTILITY", CatalogueTemplate.APPROVED);

            Decision.Send send = (Decision.Send) decider.decide(utility(), closed(), CHEAPEST);

            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.explanation().fallbackChain()).noneMatch(step -> step.contains("DIRECT_SEND"));
        }
    }
}
