package com.answerline.dispatch.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.answerline.dispatch.config.TenantSettings;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.DirectSendAccess;
import com.answerline.dispatch.decision.FallbackPrices;
import com.answerline.dispatch.decision.TemplateCheck;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.dispatch.template.TemplateValidator;
import com.answerline.schemas.thread.ThreadItem;

/**
 * The preview's options: every way to answer now, decided by the real decider on the production tenants (demo:
 * policy SMS, at most 3 SMS segments) with the real template check, and priced by the production price list
 * (application.yml: DE UTILITY 0.0456, DE MARKETING 0.1131, DE SMS 0.075 per segment; NOW is after 1 October 2026,
 * so a free-form reply costs the utility rate; demo has Direct Send enabled, other not).
 */
class ReplyOptionsTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String WABA = "200000000000001";
    static final String MOBILE = "4915112345678";
    static final String CONVERSATION = "100000000000001:" + MOBILE;
    static final String BSUID = "US.13491208655302741918";
    static final String INVITATION_BODY = "Dear {{1}}, we could not answer within 24 hours. Best regards, {{2}}";

    final MutableClock clock = new MutableClock(NOW);
    final TenantSettings tenants = ProductionConfig.tenants();
    final TemplateCatalogue catalogue = new TemplateCatalogue();
    final ChannelDecider decider = new ChannelDecider(clock, Duration.ofSeconds(60),
            new TemplateValidator(catalogue, rules -> tenants.wabaId(rules.tenantId())));
    final ChannelPreviews previews = new ChannelPreviews(decider, tenants::rules, new ReplyOptions(decider,
            tenantId -> catalogue.templatesOf(tenants.wabaId(tenantId)),
            new CostEstimator(ProductionConfig.pricingProperties()), clock));

    ReplyOptionsTest() {
        catalogue.synced(WABA, List.of(
                new CatalogueTemplate("customer_care_reopen", "en_US", "UTILITY", CatalogueTemplate.APPROVED, INVITATION_BODY),
                new CatalogueTemplate("spring_sale", "de", "MARKETING", CatalogueTemplate.APPROVED, "Hallo {{1}}, 20 % Rabatt!"),
                new CatalogueTemplate("old_promo", "en_US", "MARKETING", "PAUSED", "Hi {{1}}")), NOW);
    }

    static PreviewRequest.Session session(String phone, String bsuid, Instant expiresAt) {
        return new PreviewRequest.Session(4L, expiresAt == null ? null : expiresAt.toString(), phone, bsuid, "Ada");
    }

    List<ReplyOption> options(String conversationId, PreviewRequest.Session session, String draft) {
        return previews.preview(new PreviewRequest("demo", conversationId, null, null, session, draft)).options();
    }

    static ReplyOption option(List<ReplyOption> options, String kind) {
        return options.stream().filter(o -> o.kind().equals(kind)).findFirst().orElseThrow();
    }

    static ReplyOption template(List<ReplyOption> options, String name) {
        return options.stream().filter(o -> o.template() != null && o.kind().equals("TEMPLATE")
                && o.template().name().equals(name)).findFirst().orElseThrow();
    }

    static ThreadItem.Cost cost(String amount, long micros, String basis) {
        return new ThreadItem.Cost("EUR", amount, micros, basis);
    }

    @Test
    void shouldOfferFreeFormAndTheTemplatesWhileTheWindowIsOpenAndGreyOutTheFallbacks() {
        // Given a window open for two more hours and the agent's draft
        List<ReplyOption> options = options(CONVERSATION, session(MOBILE, null, NOW.plus(Duration.ofHours(2))), "Hello");

        // Then free-form goes, at the utility rate of Germany since October 2026
        assertThat(option(options, "WHATSAPP_FREE_FORM")).isEqualTo(new ReplyOption("WHATSAPP_FREE_FORM", "WHATSAPP",
                true, null, "AUTO", null, null, cost("0.0456", 45_600, "SERVICE at UTILITY rate DE since 2026-10-01")));
        // And the SMS and the hold only once the window closed
        ReplyOption sms = option(options, "SMS_WITH_LINK");
        assertThat(sms.allowed()).isFalse();
        assertThat(sms.why()).isEqualTo("WINDOW_OPEN");
        assertThat(sms.sms()).isEqualTo(new ReplyOption.Sms(1, "GSM_7"));
        assertThat(sms.estimatedCost()).isEqualTo(cost("0.075", 75_000, "SMS 1 x DE since 2026-10-01"));
        assertThat(option(options, "HOLD").allowed()).isFalse();
        assertThat(option(options, "HOLD").why()).isEqualTo("WINDOW_OPEN");
        // And every template of the tenant with its category, body and parameters; a paused one greyed out
        assertThat(template(options, "customer_care_reopen")).isEqualTo(new ReplyOption("TEMPLATE", "WHATSAPP_TEMPLATE",
                true, null, "TEMPLATE", null,
                new ReplyOption.Template("customer_care_reopen", "en_US", "UTILITY", INVITATION_BODY, 2),
                cost("0.0456", 45_600, "TEMPLATE UTILITY DE in window since 2026-10-01")));
        assertThat(template(options, "spring_sale").template().parameterCount()).isEqualTo(1);
        assertThat(template(options, "spring_sale").estimatedCost().amountMicros()).isEqualTo(113_100);
        assertThat(template(options, "old_promo").allowed()).isFalse();
        assertThat(template(options, "old_promo").why()).isEqualTo("TEMPLATE_NOT_APPROVED");
        assertThat(options).extracting(ReplyOption::kind)
                .containsExactly("WHATSAPP_FREE_FORM", "WHATSAPP_DIRECT_SEND", "SMS_WITH_LINK", "TEMPLATE", "TEMPLATE",
                        "TEMPLATE", "HOLD");
    }

    @Test
    void shouldSwitchToTheFallbacksInsideTheSafetyMarginWhileWhatsAppStillCountsItAsInTheWindow() {
        List<ReplyOption> options = options(CONVERSATION, session(MOBILE, null, NOW.plusSeconds(30)), "Hello");

        assertThat(option(options, "WHATSAPP_FREE_FORM").allowed()).isFalse();
        assertThat(option(options, "WHATSAPP_FREE_FORM").why()).isEqualTo("WINDOW_CLOSING");
        assertThat(option(options, "SMS_WITH_LINK").allowed()).isTrue();
        assertThat(option(options, "HOLD").allowed()).isTrue();
        assertThat(option(options, "HOLD").estimatedCost().basis()).isEqualTo("TEMPLATE UTILITY DE in window since 2026-10-01");
    }

    @Test
    void shouldOfferSmsTemplatesAndHoldOnceTheWindowClosed() {
        List<ReplyOption> options = options(CONVERSATION, session(MOBILE, null, NOW.minus(Duration.ofHours(1))), "Hello");

        assertThat(option(options, "WHATSAPP_FREE_FORM").why()).isEqualTo("WINDOW_CLOSED");
        assertThat(option(options, "SMS_WITH_LINK").allowed()).isTrue();
        assertThat(option(options, "SMS_WITH_LINK").why()).isNull();
        assertThat(template(options, "customer_care_reopen").estimatedCost())
                .isEqualTo(cost("0.0456", 45_600, "TEMPLATE UTILITY DE since 2026-10-01"));
        ReplyOption hold = option(options, "HOLD");
        assertThat(hold.allowed()).isTrue();
        assertThat(hold.fallback()).isEqualTo("TEMPLATE_THEN_HOLD");
        assertThat(hold.template().name()).isEqualTo("customer_care_reopen");
        assertThat(hold.template().category()).isEqualTo("UTILITY");
    }

    @Test
    void shouldCountTheSegmentsAndEncodingOfTheSmsDispatchWouldBuildAroundTheDraft() {
        Instant closed = NOW.minus(Duration.ofHours(1));

        ReplyOption emoji = option(options(CONVERSATION, session(MOBILE, null, closed), "Danke 👍"), "SMS_WITH_LINK");
        ReplyOption tooLong = option(options(CONVERSATION, session(MOBILE, null, closed), "a".repeat(400)), "SMS_WITH_LINK");

        // The link makes the body longer than 70 UCS-2 units: two segments
        assertThat(emoji.sms()).isEqualTo(new ReplyOption.Sms(2, "UCS_2"));
        assertThat(emoji.estimatedCost()).isEqualTo(cost("0.15", 150_000, "SMS 2 x DE since 2026-10-01"));
        // Beyond demo's maximum of 3 segments the template goes instead
        assertThat(tooLong.allowed()).isFalse();
        assertThat(tooLong.why()).isEqualTo("TOO_MANY_SEGMENTS");
        assertThat(tooLong.sms().segments()).isEqualTo(4);
    }

    @Test
    void shouldPriceTheSmsAsOneSegmentWithoutADraft() {
        ReplyOption sms = option(options(CONVERSATION, session(MOBILE, null, NOW.minus(Duration.ofHours(1))), null),
                "SMS_WITH_LINK");

        assertThat(sms.sms()).isNull();
        assertThat(sms.estimatedCost().basis()).isEqualTo("SMS 1 x DE since 2026-10-01 (segments unknown)");
    }

    @Test
    void shouldNotOfferSmsToALandlineOrToACustomerKnownOnlyByUsername() {
        Instant closed = NOW.minus(Duration.ofHours(1));

        ReplyOption landline = option(options("100000000000001:493012345678", session("493012345678", null, closed),
                "Hello"), "SMS_WITH_LINK");
        List<ReplyOption> usernameOnly = options("100000000000001:" + BSUID, session(null, BSUID, closed), "Hello");

        assertThat(landline.allowed()).isFalse();
        assertThat(landline.why()).isEqualTo("NOT_MOBILE");
        assertThat(option(usernameOnly, "SMS_WITH_LINK").allowed()).isFalse();
        assertThat(option(usernameOnly, "SMS_WITH_LINK").why()).isEqualTo("NO_CUSTOMER_PHONE");
        // No phone, no country: the default prices
        assertThat(template(usernameOnly, "customer_care_reopen").estimatedCost().basis())
                .isEqualTo("TEMPLATE UTILITY default since 2026-10-01");
        assertThat(option(usernameOnly, "HOLD").allowed()).isTrue();
    }

    @Test
    void shouldOfferOnlyTemplatesForAConversationWithoutSession() {
        List<ReplyOption> options = options(CONVERSATION, null, "Hello");

        assertThat(option(options, "WHATSAPP_FREE_FORM").why()).isEqualTo("UNKNOWN_CONVERSATION");
        assertThat(option(options, "SMS_WITH_LINK").why()).isEqualTo("UNKNOWN_CONVERSATION");
        assertThat(template(options, "customer_care_reopen").allowed()).isTrue();
        assertThat(option(options, "HOLD").allowed()).isTrue();
    }

    @Test
    void shouldPriceWhatsAppAsFreeInsideAFreeEntryPoint() {
        // Given a customer who came from an ad an hour ago, not answered yet
        Instant clicked = NOW.minus(Duration.ofHours(1));
        PreviewRequest.Session fromAd = new PreviewRequest.Session(4L, clicked.plus(Duration.ofHours(24)).toString(),
                MOBILE, null, "Ada", clicked.toString(), true, clicked.toString());

        List<ReplyOption> options = options(CONVERSATION, fromAd, "Hello");

        assertThat(option(options, "WHATSAPP_FREE_FORM").estimatedCost())
                .isEqualTo(cost("0", 0, "FREE_ENTRY_POINT SERVICE until 2026-11-28T11:00:00Z"));
        assertThat(template(options, "spring_sale").estimatedCost().amountMicros()).isZero();
        // SMS is not WhatsApp: no free entry point
        assertThat(option(options, "SMS_WITH_LINK").estimatedCost().amountMicros()).isEqualTo(75_000);
    }

    @Test
    void shouldOfferNothingForATenantThisServiceDoesNotKnow() {
        assertThat(previews.preview(new PreviewRequest("nobody", CONVERSATION, null, null, null)).options()).isEmpty();
    }

    @Test
    void shouldOfferDirectSendForAUtilityDraftOnceTheWindowClosedAtTheUtilityRate() {
        // Given a conversation whose window closed an hour ago and a draft the agent marked UTILITY
        List<ReplyOption> options = options(CONVERSATION, session(MOBILE, null, NOW.minus(Duration.ofHours(1))),
                "Your parcel left today.", "UTILITY");

        // Then Direct Send is allowed, with what a command needs to take it and what utility means
        assertThat(option(options, "WHATSAPP_DIRECT_SEND")).isEqualTo(new ReplyOption("WHATSAPP_DIRECT_SEND",
                "WHATSAPP_DIRECT_SEND", true, null, "DIRECT_SEND", null, null,
                cost("0.0456", 45_600, "DIRECT_SEND at UTILITY rate DE since 2026-10-01"), "UTILITY", null,
                ReplyOptions.UTILITY_MEANS));
    }

    @Test
    void shouldSayWhyNotForADraftNotMarkedUtilityOrAnOpenWindow() {
        Instant closed = NOW.minus(Duration.ofHours(1));

        ReplyOption unmarked = option(options(CONVERSATION, session(MOBILE, null, closed), "Hello", null),
                "WHATSAPP_DIRECT_SEND");
        // the window first: while it is open, Direct Send is not for this reply, marked or not
        ReplyOption open = option(options(CONVERSATION, session(MOBILE, null, NOW.plus(Duration.ofHours(2))), "Hello",
                null), "WHATSAPP_DIRECT_SEND");

        assertThat(unmarked.allowed()).isFalse();
        assertThat(unmarked.why()).isEqualTo("NOT_UTILITY");
        assertThat(unmarked.whyDetail()).isEqualTo("DIRECT_SEND unavailable: not utility");
        assertThat(unmarked.note()).isEqualTo(ReplyOptions.UTILITY_MEANS);
        assertThat(open.allowed()).isFalse();
        assertThat(open.why()).isEqualTo("WINDOW_OPEN");
        // priced as it would go: outside the window
        assertThat(open.estimatedCost().basis()).isEqualTo("DIRECT_SEND at UTILITY rate DE since 2026-10-01");
    }

    @Test
    void shouldSayANumberWithoutDirectSendIsNotEnabled() {
        PreviewRequest other = new PreviewRequest("other", "100000000000002:" + MOBILE, null, null,
                session(MOBILE, null, NOW.minus(Duration.ofHours(1))), "Hello", "UTILITY");

        ReplyOption directSend = option(previews.preview(other).options(), "WHATSAPP_DIRECT_SEND");

        assertThat(directSend.allowed()).isFalse();
        assertThat(directSend.why()).isEqualTo("NOT_ENABLED");
    }

    @Test
    void shouldSayWhenWhatsAppRefusedTheNumberAndWhenItIsTriedAgain() {
        // Given WhatsApp blocked Direct Send for demo's number an hour ago
        DirectSendAccess blocked = (phoneNumberId, now) -> Optional.of(new DirectSendAccess.Refusal(
                DirectSendAccess.BLOCKED_CODE, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(23))));
        ChannelDecider refusing = new ChannelDecider(clock, Duration.ofSeconds(60), TemplateCheck.UNCHECKED,
                FallbackPrices.UNPRICED, blocked);
        ChannelPreviews withRefusal = new ChannelPreviews(refusing, tenants::rules, new ReplyOptions(refusing,
                tenantId -> List.of(), new CostEstimator(ProductionConfig.pricingProperties()), clock));

        ChannelPreview preview = withRefusal.preview(new PreviewRequest("demo", CONVERSATION, "DIRECT_SEND", null,
                session(MOBILE, null, NOW.minus(Duration.ofHours(1))), "Hello", "UTILITY"));

        ReplyOption directSend = option(preview.options(), "WHATSAPP_DIRECT_SEND");
        assertThat(directSend.why()).isEqualTo("REFUSED_BLOCKED");
        assertThat(directSend.whyDetail()).isEqualTo(
                "DIRECT_SEND unavailable: refused 139200 at 2026-11-25T11:00:00Z, re-check at 2026-11-26T11:00:00Z");
        // And the reply itself would go as the SMS with the link
        assertThat(preview.channel()).isEqualTo("SMS");
        assertThat(preview.fallbackChain()).containsExactly(directSend.whyDetail(), "SMS");
    }

    @Test
    void shouldOfferDirectSendToACustomerKnownOnlyByUsernameAtTheDefaultRate() {
        List<ReplyOption> usernameOnly = options("100000000000001:" + BSUID,
                session(null, BSUID, NOW.minus(Duration.ofHours(1))), "Hello", "utility");

        assertThat(option(usernameOnly, "WHATSAPP_DIRECT_SEND").allowed()).isTrue();
        assertThat(option(usernameOnly, "WHATSAPP_DIRECT_SEND").estimatedCost().basis())
                .isEqualTo("DIRECT_SEND at UTILITY rate default since 2026-10-01");
        assertThat(option(usernameOnly, "SMS_WITH_LINK").allowed()).isFalse();
    }

    List<ReplyOption> options(String conversationId, PreviewRequest.Session session, String draft, String category) {
        return previews.preview(new PreviewRequest("demo", conversationId, null, null, session, draft, category)).options();
    }
}
