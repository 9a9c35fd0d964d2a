package com.answerline.dispatch.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.OutcomeReason;
import com.answerline.dispatch.config.DispatchProperties;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;

/** The preview on the production tenants (application.yml: demo = SMS, other = TEMPLATE) and the real decider. */
class ChannelPreviewsTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String DEMO_CONVERSATION = "100000000000001:4915112345678";
    static final String DEMO_BSUID_CONVERSATION = "100000000000001:US.13491208655302741918";
    static final String OTHER_CONVERSATION = "100000000000002:4915112345678";

    final MutableClock clock = new MutableClock(NOW);
    final DispatchProperties properties = ProductionConfig.dispatchProperties();
    final ChannelDecider decider = new ChannelDecider(clock, properties.safetyMargin());
    /** Options without templates (those are ReplyOptionsTest's): the chosen option is this class's subject. */
    final ChannelPreviews previews = new ChannelPreviews(decider, ProductionConfig.tenants()::rules,
            new ReplyOptions(decider, tenantId -> List.of(), new CostEstimator(ProductionConfig.pricingProperties()), clock));

    static PreviewRequest.Session session(Instant expiresAt) {
        return new PreviewRequest.Session(7L, expiresAt == null ? null : expiresAt.toString(), "4915112345678",
                null, "Ada");
    }

    @Test
    void shouldPreviewWhatsAppWhileTheWindowIsOpen() {
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, null, null,
                session(NOW.plus(Duration.ofHours(2)))));

        assertThat(preview.channel()).isEqualTo("WHATSAPP");
        assertThat(preview.reason()).isEqualTo(OutcomeReason.WINDOW_OPEN.name());
        assertThat(preview.outcome()).isEqualTo(ChannelPreview.Outcome.SEND);
        assertThat(preview.windowOpen()).isTrue();
        assertThat(preview.windowState()).isEqualTo("OPEN");
        assertThat(preview.timeLeftMillis()).isEqualTo(Duration.ofHours(2).toMillis());
        assertThat(preview.policy()).isEqualTo("SMS");
        assertThat(preview.sessionVersion()).isEqualTo(7L);
        assertThat(preview.waitsFor()).isNull();
    }

    @Test
    void shouldPreviewTheTenantsSmsFallbackOnceTheWindowClosed() {
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, "AUTO", null,
                session(NOW.minus(Duration.ofHours(1)))));

        assertThat(preview.channel()).isEqualTo("SMS");
        assertThat(preview.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK.name());
        assertThat(preview.outcome()).isEqualTo(ChannelPreview.Outcome.SEND);
        assertThat(preview.windowOpen()).isFalse();
        assertThat(preview.windowState()).isEqualTo("CLOSED");
        assertThat(preview.fallbackChain()).containsExactly("AUTO->SMS", "SMS");
    }

    @Test
    void shouldCountTheSafetyMarginAsClosedLikeDispatchDoes() {
        // 30 s left, safety margin 60 s: dispatch would not risk free-form
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, null, null,
                session(NOW.plusSeconds(30))));

        assertThat(preview.windowOpen()).isFalse();
        assertThat(preview.windowState()).isEqualTo("CLOSING");
        assertThat(preview.channel()).isEqualTo("SMS");
    }

    @Test
    void shouldPreviewTheTemplateForATenantWhosePolicyIsTemplate() {
        ChannelPreview preview = previews.preview(new PreviewRequest("other", OTHER_CONVERSATION, null, null,
                session(NOW.minus(Duration.ofHours(1)))));

        assertThat(preview.channel()).isEqualTo("WHATSAPP_TEMPLATE");
        assertThat(preview.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK.name());
    }

    @Test
    void shouldPreviewTheInvitationNowAndTheAnswerHeldForTemplateThenHold() {
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, "TEMPLATE_THEN_HOLD", null,
                session(NOW.minus(Duration.ofHours(1)))));

        assertThat(preview.outcome()).isEqualTo(ChannelPreview.Outcome.HOLD);
        assertThat(preview.channel()).isEqualTo("WHATSAPP_TEMPLATE");
        assertThat(preview.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_ANSWER_HELD.name());
        assertThat(preview.fallbackChain()).containsExactly("TEMPLATE", "HOLD");
    }

    @Test
    void shouldPreviewARejectionWithItsAlternativesForFallbackNone() {
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, "none", null,
                session(NOW.minus(Duration.ofHours(1)))));

        assertThat(preview.channel()).isEqualTo("NONE");
        assertThat(preview.outcome()).isEqualTo(ChannelPreview.Outcome.REJECT);
        assertThat(preview.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED.name());
        assertThat(preview.alternatives()).containsExactly("TEMPLATE:customer_care_reopen", "SMS");
    }

    @Test
    void shouldFallBackToTheTemplateForAUsernameOnlyCustomerWithoutPhone() {
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_BSUID_CONVERSATION, null, null,
                new PreviewRequest.Session(2L, NOW.minusSeconds(5).toString(), null, "US.13491208655302741918", null)));

        assertThat(preview.channel()).isEqualTo("WHATSAPP_TEMPLATE");
        assertThat(preview.fallbackChain()).contains("SMS unavailable: no customer phone");
    }

    @Test
    void shouldSayAnUnknownConversationWaitsForItsSessionThenIsRejected() {
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, null, null, null));

        assertThat(preview.reason()).isEqualTo(OutcomeReason.UNKNOWN_CONVERSATION.name());
        assertThat(preview.outcome()).isEqualTo(ChannelPreview.Outcome.REJECT);
        assertThat(preview.waitsFor()).isEqualTo("CONVERSATION_SESSION");
        assertThat(preview.windowState()).isEqualTo("NEVER_OPENED");
        assertThat(preview.alternatives()).containsExactly("TEMPLATE:customer_care_reopen");
    }

    @Test
    void shouldPreviewAnExplicitTemplateAsRequested() {
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, null,
                new PreviewRequest.Template("order_update", "en_US", List.of("Ada")), session(null)));

        assertThat(preview.channel()).isEqualTo("WHATSAPP_TEMPLATE");
        assertThat(preview.reason()).isEqualTo(OutcomeReason.TEMPLATE_REQUESTED.name());
    }

    @Test
    void shouldAnswerWhatDispatchAnswersForAnUnknownTenantOrAForeignConversation() {
        assertThat(previews.preview(new PreviewRequest("nobody", DEMO_CONVERSATION, null, null, null)).reason())
                .isEqualTo(OutcomeReason.UNKNOWN_TENANT.name());
        assertThat(previews.preview(new PreviewRequest("demo", OTHER_CONVERSATION, null, null, null)).reason())
                .isEqualTo(OutcomeReason.TENANT_MISMATCH.name());
    }

    @Test
    void shouldDecideOnTheAgentsDraftWhenItHasOne() {
        // Given a draft far beyond demo's three SMS segments for a closed window
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, null, null,
                session(NOW.minus(Duration.ofHours(1))), "a".repeat(600)));

        // Then the preview says what dispatch will do with it: the template instead
        assertThat(preview.channel()).isEqualTo("WHATSAPP_TEMPLATE");
        assertThat(preview.fallbackChain()).contains("SMS unavailable: 5 segments > 3");
        // a draft of exactly the maximum length is fine
        assertThat(previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, null, null, null,
                "👍".repeat(ChannelPreviews.MAX_TEXT_LENGTH))).reason()).isEqualTo(OutcomeReason.UNKNOWN_CONVERSATION.name());
    }

    @Test
    void shouldNameTheFieldOfABadBody() {
        assertField(null, "body");
        assertField(new PreviewRequest(" ", DEMO_CONVERSATION, null, null, null), "tenantId");
        assertField(new PreviewRequest("demo", null, null, null, null), "conversationId");
        assertField(new PreviewRequest("demo", "not-a-conversation", null, null, null), "conversationId");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, "CARRIER_PIGEON", null, null), "fallback");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, null,
                new PreviewRequest.Template(null, "en_US", null), null), "template.name");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, null,
                new PreviewRequest.Template("order_update", "en_US", java.util.Arrays.asList("Ada", null)), null),
                "template.parameters");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, null, null,
                new PreviewRequest.Session(null, null, null, null, null)), "session.version");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, null, null,
                new PreviewRequest.Session(1L, "tomorrow", null, null, null)), "session.windowExpiresAt");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, null, null,
                new PreviewRequest.Session(1L, null, null, null, null, "monday", true, null)), "session.windowOpenedAt");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, null, null,
                new PreviewRequest.Session(1L, null, null, null, null, null, null, "1")), "session.unansweredSince");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, null, null, null,
                "👍".repeat(ChannelPreviews.MAX_TEXT_LENGTH + 1)), "text");
        assertField(new PreviewRequest("demo", DEMO_CONVERSATION, null, null, null, null, "PROMOTIONAL"), "category");
    }

    @Test
    void shouldPreviewDirectSendForAUtilityDraftWithFallbackDirectSend() {
        // demo has Direct Send enabled (application.yml); the window closed an hour ago
        ChannelPreview preview = previews.preview(new PreviewRequest("demo", DEMO_CONVERSATION, "direct_send", null,
                session(NOW.minus(Duration.ofHours(1))), "Your parcel left today.", "UTILITY"));

        assertThat(preview.channel()).isEqualTo("WHATSAPP_DIRECT_SEND");
        assertThat(preview.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_DIRECT_SEND.name());
        assertThat(preview.policy()).isEqualTo("DIRECT_SEND");
        assertThat(preview.fallbackChain()).containsExactly("DIRECT_SEND");
    }

    private void assertField(PreviewRequest body, String field) {
        assertThatThrownBy(() -> previews.preview(body))
                .isInstanceOfSatisfying(InvalidPreviewException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
