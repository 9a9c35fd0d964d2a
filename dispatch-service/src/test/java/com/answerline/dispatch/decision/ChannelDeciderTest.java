package com.answerline.dispatch.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.support.MutableClock;

class ChannelDeciderTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String PHONE = "4915112345678";
    static final String BSUID = "US.13491208655302741918";
    static final String CONVERSATION = "100000000000001:" + PHONE;
    static final String TEMPLATE_BODY = "Dear {{1}}, we could not answer within 24 hours. Best regards, {{2}}";
    static final String LINK = "https://wa.me/15550000001?text=Hi%2C%20I%27d%20like%20to%20continue%20our%20conversation";

    static final TenantRules DEMO = tenant(FallbackPolicy.SMS);

    final MutableClock clock = new MutableClock(NOW);
    final ChannelDecider decider = new ChannelDecider(clock, Duration.ofSeconds(60));

    static TenantRules tenant(FallbackPolicy policy) {
        return tenant(TenantPolicy.valueOf(policy.name()));
    }

    static TenantRules tenant(TenantPolicy policy) {
        return new TenantRules("demo", "100000000000001", "15550000001", policy, "customer_care_reopen", "en_US",
                TEMPLATE_BODY, "Reply on WhatsApp to continue:", "Hi, I'd like to continue our conversation");
    }

    static ReplyRequest reply(FallbackPolicy fallback) {
        return new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", "Grace", "Your parcel left today.", null,
                fallback, 3L);
    }

    static SessionSnapshot sessionExpiringAt(Instant expiresAt) {
        return new SessionSnapshot(3, "100000000000001", PHONE, BSUID, "Ada", expiresAt);
    }

    @Nested
    class WindowOpen {

        @Test
        void shouldSendFreeFormWhatsAppWhenMoreThanTheSafetyMarginIsLeft() {
            // Given a window that closes in two hours
            SessionSnapshot session = sessionExpiringAt(NOW.plus(Duration.ofHours(2)));

            // When the agent replies
            Decision decision = decider.decide(reply(FallbackPolicy.SMS), session, DEMO);

            // Then the text goes out as WhatsApp free-form, with the window explained
            assertThat(decision).isInstanceOf(Decision.Send.class);
            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(send.text()).isEqualTo("Your parcel left today.");
            assertThat(send.recipientPhone()).isEqualTo(PHONE);
            assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
            assertThat(send.explanation().windowState()).isEqualTo(WindowState.OPEN);
            assertThat(send.explanation().timeLeft()).isEqualTo(Duration.ofHours(2));
            assertThat(send.explanation().windowExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
            assertThat(send.explanation().sessionVersion()).isEqualTo(3L);
            assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.SMS);
        }

        @Test
        void shouldSendFreeFormOneSecondOutsideTheSafetyMargin() {
            Decision decision = decider.decide(reply(FallbackPolicy.SMS), sessionExpiringAt(NOW.plusSeconds(61)), DEMO);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP);
        }

        @Test
        void shouldAllowAnExplicitTemplateInsideTheWindow() {
            ReplyRequest template = new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", "Grace", null,
                    new TemplateMessage("order_update", "en_US", List.of("Ada")), FallbackPolicy.AUTO, null);

            Decision decision = decider.decide(template, sessionExpiringAt(NOW.plus(Duration.ofHours(5))), DEMO);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.template().name()).isEqualTo("order_update");
            assertThat(send.reason()).isEqualTo(OutcomeReason.TEMPLATE_REQUESTED);
            assertThat(send.text()).as("body of an unknown template cannot be rendered yet").isNull();
        }
    }

    @Nested
    class SafetyMarginAndExpiry {

        @Test
        void shouldTreatAWindowInsideTheSafetyMarginAsClosedBecauseWhatsAppWouldRefuseItWith131047() {
            // Given 30 s left, less than the 60 s margin
            SessionSnapshot session = sessionExpiringAt(NOW.plusSeconds(30));

            Decision decision = decider.decide(reply(FallbackPolicy.SMS), session, DEMO);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.SMS);
            assertThat(send.explanation().windowState()).isEqualTo(WindowState.CLOSING);
            assertThat(send.explanation().timeLeft()).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void shouldTreatExactlyTheSafetyMarginLeftAsClosed() {
            Decision decision = decider.decide(reply(FallbackPolicy.SMS), sessionExpiringAt(NOW.plusSeconds(60)), DEMO);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.SMS);
            assertThat(decision.explanation().windowState()).isEqualTo(WindowState.CLOSING);
        }

        @Test
        void shouldTreatTheWindowAsClosedExactlyAtExpiry() {
            Decision decision = decider.decide(reply(FallbackPolicy.SMS), sessionExpiringAt(NOW), DEMO);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.SMS);
            assertThat(decision.explanation().windowState()).isEqualTo(WindowState.CLOSED);
            assertThat(decision.explanation().timeLeft()).isEqualTo(Duration.ZERO);
        }

        @Test
        void shouldHonourAConfiguredSafetyMargin() {
            ChannelDecider noMargin = new ChannelDecider(clock, Duration.ZERO);

            Decision decision = noMargin.decide(reply(FallbackPolicy.SMS), sessionExpiringAt(NOW.plusSeconds(1)), DEMO);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP);
        }

        @Test
        void shouldCloseTheWindowWhenTheClockPassesTheExpiry() {
            SessionSnapshot session = sessionExpiringAt(NOW.plus(Duration.ofMinutes(10)));
            clock.advance(Duration.ofMinutes(11));

            Decision decision = decider.decide(reply(FallbackPolicy.SMS), session, DEMO);

            assertThat(decision.explanation().windowState()).isEqualTo(WindowState.CLOSED);
            assertThat(decision.explanation().timeLeft()).isEqualTo(Duration.ofMinutes(-1));
        }

        @Test
        void shouldRefuseANegativeSafetyMargin() {
            assertThatThrownBy(() -> new ChannelDecider(clock, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class WindowClosed {

        final SessionSnapshot closed = sessionExpiringAt(NOW.minus(Duration.ofHours(1)));

        @Test
        void shouldSendTheAgentTextWithAnInvitationAndAnEncodedWaMeLinkBySms() {
            Decision decision = decider.decide(reply(FallbackPolicy.SMS), closed, DEMO);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.SMS);
            assertThat(send.recipientPhone()).isEqualTo(PHONE);
            assertThat(send.text()).isEqualTo("Your parcel left today.\n\nReply on WhatsApp to continue: " + LINK);
            assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK);
            assertThat(send.explanation().fallbackChain()).containsExactly("SMS");
            assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.SMS);
        }

        @Test
        void shouldResolveAutoToTheTenantPolicyAndSayItInTheChain() {
            Decision decision = decider.decide(reply(FallbackPolicy.AUTO), closed, DEMO);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.SMS);
            assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.SMS);
            assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->SMS", "SMS");
        }

        @Test
        void shouldSendTheDefaultTemplateWithCustomerAndAgentNamesWhenAutoMeansTemplate() {
            Decision decision = decider.decide(reply(FallbackPolicy.AUTO), closed, tenant(FallbackPolicy.TEMPLATE));

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.template()).isEqualTo(new TemplateMessage("customer_care_reopen", "en_US", List.of("Ada", "Grace")));
            assertThat(send.text()).isEqualTo("Dear Ada, we could not answer within 24 hours. Best regards, Grace");
            assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK);
            assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->TEMPLATE", "TEMPLATE");
        }

        @Test
        void shouldFillTheDefaultTemplateWithNeutralNamesWhenNamesAreUnknown() {
            SessionSnapshot anonymous = new SessionSnapshot(3, "100000000000001", PHONE, null, null, NOW.minusSeconds(1));
            ReplyRequest noAgentName = new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", null, "Hello", null,
                    FallbackPolicy.TEMPLATE, null);

            Decision.Send send = (Decision.Send) decider.decide(noAgentName, anonymous, DEMO);

            assertThat(send.template().parameters()).containsExactly("customer", "our team");
        }

        @Test
        void shouldRejectWithWindowClosedAndListTheAlternativesWhenFallbackIsNone() {
            Decision decision = decider.decide(reply(FallbackPolicy.NONE), closed, DEMO);

            assertThat(decision).isInstanceOf(Decision.Reject.class);
            assertThat(decision.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED);
            assertThat(decision.explanation().alternatives()).containsExactly("TEMPLATE:customer_care_reopen", "SMS");
            assertThat(decision.explanation().windowState()).isEqualTo(WindowState.CLOSED);
            assertThat(decision.explanation().policy()).isEqualTo(FallbackPolicy.NONE);
        }

        @Test
        void shouldRejectWhenTheTenantPolicyIsNoneAndTheReplySaysAuto() {
            Decision decision = decider.decide(reply(FallbackPolicy.AUTO), closed, tenant(FallbackPolicy.NONE));

            assertThat(decision.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED);
            assertThat(decision.explanation().fallbackChain()).containsExactly("AUTO->NONE");
        }

        @Test
        void shouldUseTheFallbackWhenTheWindowNeverOpened() {
            // Given a known conversation (e.g. the customer only ever texted by SMS): no WhatsApp window yet
            SessionSnapshot smsOnly = new SessionSnapshot(1, "100000000000001", PHONE, null, null, null);

            Decision decision = decider.decide(reply(FallbackPolicy.SMS), smsOnly, DEMO);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.SMS);
            assertThat(decision.explanation().windowState()).isEqualTo(WindowState.NEVER_OPENED);
            assertThat(decision.explanation().timeLeft()).isNull();
        }
    }

    @Nested
    class UsernameOnlyCustomer {

        final String conversation = "100000000000001:" + BSUID;
        final SessionSnapshot closed = new SessionSnapshot(2, "100000000000001", null, BSUID, "ada_travels",
                NOW.minus(Duration.ofHours(3)));

        ReplyRequest replyTo(FallbackPolicy fallback) {
            return new ReplyRequest("cmd-2", "demo", conversation, "agent-7", "Grace", "Your parcel left today.", null,
                    fallback, null);
        }

        @Test
        void shouldFallBackToTheTemplateBecauseThereIsNoNumberToText() {
            Decision decision = decider.decide(replyTo(FallbackPolicy.SMS), closed, DEMO);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.recipientPhone()).isNull();
            assertThat(send.recipientBsuid()).isEqualTo(BSUID);
            assertThat(send.explanation().fallbackChain()).containsExactly("SMS unavailable: no customer phone", "TEMPLATE");
            assertThat(send.template().parameters()).containsExactly("ada_travels", "Grace");
        }

        @Test
        void shouldNotOfferSmsAsAnAlternative() {
            Decision decision = decider.decide(replyTo(FallbackPolicy.NONE), closed, DEMO);

            assertThat(decision.explanation().alternatives()).containsExactly("TEMPLATE:customer_care_reopen");
        }

        @Test
        void shouldAddressAnOpenWindowReplyByBsuid() {
            SessionSnapshot open = new SessionSnapshot(2, "100000000000001", null, BSUID, null, NOW.plus(Duration.ofHours(1)));

            Decision.Send send = (Decision.Send) decider.decide(replyTo(FallbackPolicy.SMS), open, DEMO);

            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(send.recipientBsuid()).isEqualTo(BSUID);
            assertThat(send.recipientPhone()).isNull();
        }
    }

    @Nested
    class UnknownConversation {

        @Test
        void shouldRejectFreeFormToAConversationWithNoSessionState() {
            Decision decision = decider.decide(reply(FallbackPolicy.SMS), null, DEMO);

            assertThat(decision).isInstanceOf(Decision.Reject.class);
            assertThat(decision.reason()).isEqualTo(OutcomeReason.UNKNOWN_CONVERSATION);
            assertThat(decision.explanation().windowState()).isEqualTo(WindowState.NEVER_OPENED);
            assertThat(decision.explanation().alternatives()).containsExactly("TEMPLATE:customer_care_reopen");
        }

        @Test
        void shouldStartItWithTheDefaultTemplateWhenTheFallbackIsTemplate() {
            Decision decision = decider.decide(reply(FallbackPolicy.TEMPLATE), null, DEMO);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.recipientPhone()).as("taken from the conversation key").isEqualTo(PHONE);
            assertThat(send.reason()).isEqualTo(OutcomeReason.UNKNOWN_CONVERSATION_TEMPLATE);
            assertThat(send.template().parameters()).containsExactly("customer", "Grace");
        }

        @Test
        void shouldStartItWithAnExplicitTemplate() {
            ReplyRequest template = new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", "Grace", null,
                    new TemplateMessage("customer_care_reopen", "en_US", List.of("Ada", "Grace")), FallbackPolicy.NONE, null);

            Decision.Send send = (Decision.Send) decider.decide(template, null, DEMO);

            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.text()).isEqualTo("Dear Ada, we could not answer within 24 hours. Best regards, Grace");
        }
    }

    @Nested
    class InvalidReplies {

        @Test
        void shouldRejectAReplyWithNeitherTextNorTemplate() {
            ReplyRequest empty = new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", null, "  ", null,
                    FallbackPolicy.SMS, null);

            Decision decision = decider.decide(empty, sessionExpiringAt(NOW.plus(Duration.ofHours(1))), DEMO);

            assertThat(decision.reason()).isEqualTo(OutcomeReason.EMPTY_REPLY);
        }

        @Test
        void shouldRejectAConversationOfAnotherBusinessNumber() {
            ReplyRequest foreign = new ReplyRequest("cmd-1", "demo", "100000000000002:" + PHONE, "agent-7", null, "Hi",
                    null, FallbackPolicy.SMS, null);

            Decision decision = decider.decide(foreign, sessionExpiringAt(NOW.plus(Duration.ofHours(1))), DEMO);

            assertThat(decision.reason()).isEqualTo(OutcomeReason.TENANT_MISMATCH);
        }

        @Test
        void shouldRejectAMalformedConversationId() {
            ReplyRequest malformed = new ReplyRequest("cmd-1", "demo", "no-colon", "agent-7", null, "Hi", null,
                    FallbackPolicy.SMS, null);

            assertThat(decider.decide(malformed, null, DEMO).reason()).isEqualTo(OutcomeReason.INVALID_CONVERSATION);
        }
    }

    @Nested
    class SessionVersion {

        @Test
        void shouldWaitWhileTheSessionIsOlderThanWhatTheAgentSaw() {
            ReplyRequest sawVersion5 = new ReplyRequest("cmd-1", "demo", CONVERSATION, "a", null, "Hi", null,
                    FallbackPolicy.SMS, 5L);

            assertThat(ChannelDecider.mustWaitForSession(sawVersion5, sessionAt(4))).isTrue();
            assertThat(ChannelDecider.mustWaitForSession(sawVersion5, null)).isTrue();
            assertThat(ChannelDecider.mustWaitForSession(sawVersion5, sessionAt(5))).isFalse();
            assertThat(ChannelDecider.mustWaitForSession(sawVersion5, sessionAt(6))).isFalse();
        }

        @Test
        void shouldNotWaitWhenTheReplyCarriesNoObservedVersion() {
            ReplyRequest unversioned = new ReplyRequest("cmd-1", "demo", CONVERSATION, "a", null, "Hi", null,
                    FallbackPolicy.SMS, null);

            assertThat(ChannelDecider.mustWaitForSession(unversioned, null)).isFalse();
        }

        @Test
        void shouldWaitForTheConversationsSessionWhenAFreeFormReplyHasNone() {
            ReplyRequest unversioned = new ReplyRequest("cmd-1", "demo", CONVERSATION, "a", null, "Hi", null,
                    FallbackPolicy.SMS, null);
            ReplyRequest sawVersion5 = new ReplyRequest("cmd-1", "demo", CONVERSATION, "a", null, "Hi", null,
                    FallbackPolicy.SMS, 5L);

            assertThat(decider.waitFor(unversioned, null, DEMO)).isEqualTo(ChannelDecider.Wait.CONVERSATION_SESSION);
            assertThat(decider.waitFor(unversioned, sessionAt(1), DEMO)).isEqualTo(ChannelDecider.Wait.NOTHING);
            assertThat(decider.waitFor(sawVersion5, null, DEMO)).isEqualTo(ChannelDecider.Wait.SESSION_VERSION);
        }

        @Test
        void shouldWaitForTheSessionRatherThanSendTheTemplateFallbackAtOnce() {
            ReplyRequest templateFallback = new ReplyRequest("cmd-1", "demo", CONVERSATION, "a", null, "Hi", null,
                    FallbackPolicy.TEMPLATE, null);

            assertThat(decider.waitFor(templateFallback, null, DEMO)).isEqualTo(ChannelDecider.Wait.CONVERSATION_SESSION);
        }

        @Test
        void shouldNotWaitForRepliesThatNoSessionCouldChange() {
            ReplyRequest chosenTemplate = new ReplyRequest("cmd-1", "demo", CONVERSATION, "a", null, null,
                    new TemplateMessage("customer_care_reopen", "en_US", List.of("Ada", "Grace")), FallbackPolicy.SMS, null);
            ReplyRequest foreign = new ReplyRequest("cmd-1", "demo", "100000000000002:" + PHONE, "a", null, "Hi", null,
                    FallbackPolicy.SMS, null);
            ReplyRequest empty = new ReplyRequest("cmd-1", "demo", CONVERSATION, "a", null, " ", null,
                    FallbackPolicy.SMS, null);
            ReplyRequest unversioned = new ReplyRequest("cmd-1", "demo", CONVERSATION, "a", null, "Hi", null,
                    FallbackPolicy.SMS, null);

            assertThat(decider.waitFor(chosenTemplate, null, DEMO)).isEqualTo(ChannelDecider.Wait.NOTHING);
            assertThat(decider.waitFor(foreign, null, DEMO)).isEqualTo(ChannelDecider.Wait.NOTHING);
            assertThat(decider.waitFor(empty, null, DEMO)).isEqualTo(ChannelDecider.Wait.NOTHING);
            assertThat(decider.waitFor(unversioned, null, null)).isEqualTo(ChannelDecider.Wait.NOTHING);
        }

        private SessionSnapshot sessionAt(long version) {
            return new SessionSnapshot(version, "100000000000001", PHONE, null, null, NOW.plus(Duration.ofHours(1)));
        }
    }

    @Nested
    class WhatsAppRefusesTheWindow {

        Decision.Send openWindowSend(FallbackPolicy policy, String phone) {
            Explanation explanation = new Explanation(WindowState.OPEN, NOW.plus(Duration.ofHours(1)), Duration.ofHours(1),
                    policy, 3L, List.of(), List.of());
            return new Decision.Send(Channel.WHATSAPP, phone, BSUID, "Your parcel left today.", null,
                    OutcomeReason.WINDOW_OPEN, explanation);
        }

        @Test
        void shouldFallBackToSmsOnceAndRecordTheChainAfter131047() {
            Decision decision = decider.afterWhatsAppRefusal(openWindowSend(FallbackPolicy.SMS, PHONE), 131047, DEMO, false);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.SMS);
            assertThat(send.text()).isEqualTo("Your parcel left today.\n\nReply on WhatsApp to continue: " + LINK);
            assertThat(send.reason()).isEqualTo(OutcomeReason.PROVIDER_WINDOW_CLOSED_SMS_FALLBACK);
            assertThat(send.explanation().fallbackChain())
                    .containsExactly("WHATSAPP refused: 131047 window closed", "SMS");
        }

        @Test
        void shouldFallBackToTheTemplateWhenThereIsNoPhone() {
            Decision decision = decider.afterWhatsAppRefusal(openWindowSend(FallbackPolicy.SMS, null), 131047, DEMO, false);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.recipientBsuid()).isEqualTo(BSUID);
            assertThat(send.reason()).isEqualTo(OutcomeReason.PROVIDER_WINDOW_CLOSED_TEMPLATE_FALLBACK);
        }

        @Test
        void shouldRejectWithAlternativesWhenThePolicyIsNone() {
            Decision decision = decider.afterWhatsAppRefusal(openWindowSend(FallbackPolicy.NONE, PHONE), 131047, DEMO, false);

            assertThat(decision.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED);
            assertThat(decision.explanation().alternatives()).containsExactly("TEMPLATE:customer_care_reopen", "SMS");
        }
    }
}
