package com.answerline.dispatch.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.ContentCategory;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.support.MutableClock;

/**
 * Issue 19: WhatsApp Direct Send in the decision. Allowed only outside the window (or inside the safety margin), with
 * the policy DIRECT_SEND (the command's or the tenant's), for a text marked UTILITY, on a number the tenant enabled and
 * WhatsApp has not refused recently; else the SMS policy's chain with the reason in it.
 */
class ChannelDeciderDirectSendTest {

    static final Instant NOW = ChannelDeciderTest.NOW;
    static final String NUMBER = "100000000000001";
    static final String PHONE = ChannelDeciderTest.PHONE;
    static final String LANDLINE = "493012345678";
    static final String BSUID = ChannelDeciderTest.BSUID;
    static final String TEXT = "Your parcel left today.";

    final MutableClock clock = new MutableClock(NOW);
    /** The refusals the decider is shown, and the numbers it asked about. */
    final List<DirectSendAccess.Refusal> refusals = new ArrayList<>();
    final List<String> asked = new ArrayList<>();
    final ChannelDecider decider = new ChannelDecider(clock, Duration.ofSeconds(60), TemplateCheck.UNCHECKED,
            FallbackPrices.UNPRICED, (phoneNumberId, now) -> {
                asked.add(phoneNumberId + "@" + now);
                return refusals.stream().findFirst();
            });

    static TenantRules tenant(TenantPolicy policy, boolean directSendEnabled) {
        return new TenantRules("demo", NUMBER, "15550000001", policy, "customer_care_reopen", "en_US",
                ChannelDeciderTest.TEMPLATE_BODY, "Reply on WhatsApp to continue:",
                "Hi, I'd like to continue our conversation", null, TenantRules.DEFAULT_SMS_MAX_SEGMENTS,
                TenantRules.DEFAULT_REPLY_VALIDITY, new TenantRules.DirectSend(directSendEnabled, Duration.ofHours(24)));
    }

    static final TenantRules ENABLED = tenant(TenantPolicy.SMS, true);

    static ReplyRequest reply(String customerKey, FallbackPolicy fallback, ContentCategory category) {
        return new ReplyRequest("cmd-1", "demo", NUMBER + ":" + customerKey, "agent-7", "Grace", TEXT, null, fallback, 3L,
                category);
    }

    static ReplyRequest utility(FallbackPolicy fallback) {
        return reply(PHONE, fallback, ContentCategory.UTILITY);
    }

    static SessionSnapshot session(String phone, String bsuid, Instant expiresAt) {
        return new SessionSnapshot(3, NUMBER, phone, bsuid, "Ada", expiresAt);
    }

    /** Closed 25 hours after the customer wrote: an hour ago. */
    static SessionSnapshot closed() {
        return session(PHONE, null, NOW.minus(Duration.ofHours(1)));
    }

    @Nested
    class Eligible {

        @Test
        void shouldSendTheAgentsUtilityTextThroughDirectSendOnceTheWindowIsClosed() {
            // Given a window closed an hour ago, a number with Direct Send enabled and never refused
            // When the agent answers with a text marked UTILITY and fallback DIRECT_SEND
            Decision decision = decider.decide(utility(FallbackPolicy.DIRECT_SEND), closed(), ENABLED);

            // Then the text itself goes on WhatsApp through Direct Send, and the explanation says so
            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
            assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_DIRECT_SEND);
            assertThat(send.text()).isEqualTo(TEXT);
            assertThat(send.template()).isNull();
            assertThat(send.recipientPhone()).isEqualTo(PHONE);
            assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.DIRECT_SEND);
            assertThat(send.explanation().windowState()).isEqualTo(WindowState.CLOSED);
            assertThat(send.explanation().fallbackChain()).containsExactly("DIRECT_SEND");
            // And the refusals were asked for the tenant's number, now
            assertThat(asked).containsExactly(NUMBER + "@" + NOW);
        }

        @Test
        void shouldSendThroughDirectSendInsideTheSafetyMarginWhereFreeFormWouldBeRefused() {
            Decision decision = decider.decide(utility(FallbackPolicy.DIRECT_SEND),
                    session(PHONE, null, NOW.plusSeconds(30)), ENABLED);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
            assertThat(decision.explanation().windowState()).isEqualTo(WindowState.CLOSING);
        }

        @Test
        void shouldSendToAUsernameOnlyCustomerByTheBsuidWhereNoSmsCouldGo() {
            // Given a customer known by username only (BSUID, no phone)
            SessionSnapshot usernameOnly = session(null, BSUID, NOW.minus(Duration.ofHours(1)));

            Decision decision = decider.decide(reply(BSUID, FallbackPolicy.DIRECT_SEND, ContentCategory.UTILITY),
                    usernameOnly, ENABLED);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
            assertThat(send.recipientPhone()).isNull();
            assertThat(send.recipientBsuid()).isEqualTo(BSUID);
        }

        @Test
        void shouldTakeDirectSendForAutoWhenTheTenantsPolicyIsDirectSend() {
            Decision decision = decider.decide(utility(FallbackPolicy.AUTO), closed(),
                    tenant(TenantPolicy.DIRECT_SEND, true));

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
            assertThat(decision.explanation().policy()).isEqualTo(FallbackPolicy.DIRECT_SEND);
            assertThat(decision.explanation().fallbackChain()).containsExactly("AUTO->DIRECT_SEND", "DIRECT_SEND");
        }

        @Test
        void shouldTakeDirectSendWhenTheCommandAsksForItWhateverTheTenantsPolicy() {
            // The tenant's policy is SMS; the agent chose DIRECT_SEND
            Decision decision = decider.decide(utility(FallbackPolicy.DIRECT_SEND), closed(), ENABLED);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
            assertThat(decision.explanation().fallbackChain()).containsExactly("DIRECT_SEND");
        }

        @Test
        void shouldNotTryDirectSendForAutoUnderAnotherTenantPolicyEvenForAUtilityText() {
            Decision decision = decider.decide(utility(FallbackPolicy.AUTO), closed(), ENABLED);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.SMS);
            assertThat(decision.explanation().fallbackChain()).containsExactly("AUTO->SMS", "SMS");
        }

        @Test
        void shouldTryAgainOnceTheRefusalsRecheckTimeHasPassed() {
            // Given a 139200 refusal whose re-check time is now
            refusals.add(new DirectSendAccess.Refusal(DirectSendAccess.BLOCKED_CODE, NOW.minus(Duration.ofHours(24)), NOW));

            Decision decision = decider.decide(utility(FallbackPolicy.DIRECT_SEND), closed(), ENABLED);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
        }

        @Test
        void shouldOfferDirectSendAsAnAlternativeWhenTheCommandAskedForNoFallback() {
            Decision decision = decider.decide(utility(FallbackPolicy.NONE), closed(), ENABLED);

            assertThat(decision.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED);
            assertThat(decision.explanation().alternatives())
                    .containsExactly("TEMPLATE:customer_care_reopen", "SMS", "DIRECT_SEND");
        }
    }

    @Nested
    class NotTaken {

        @Test
        void shouldSendTheSmsWithTheLinkWhenTheNumberDoesNotHaveDirectSendEnabled() {
            Decision decision = decider.decide(utility(FallbackPolicy.DIRECT_SEND), closed(), tenant(TenantPolicy.SMS, false));

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.SMS);
            assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK);
            assertThat(send.text()).startsWith(TEXT + "\n\nReply on WhatsApp to continue: https://wa.me/15550000001");
            assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.DIRECT_SEND);
            assertThat(send.explanation().fallbackChain())
                    .containsExactly("DIRECT_SEND unavailable: not enabled for this number", "SMS");
            assertThat(asked).as("a number without Direct Send is not looked up").isEmpty();
        }

        @Test
        void shouldNotSendAnUnmarkedTextThroughDirectSend() {
            Decision unmarked = decider.decide(reply(PHONE, FallbackPolicy.DIRECT_SEND, null), closed(), ENABLED);
            Decision unspecified = decider.decide(reply(PHONE, FallbackPolicy.DIRECT_SEND, ContentCategory.UNSPECIFIED),
                    closed(), ENABLED);

            for (Decision decision : List.of(unmarked, unspecified)) {
                assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.SMS);
                assertThat(decision.explanation().fallbackChain())
                        .containsExactly("DIRECT_SEND unavailable: not utility", "SMS");
            }
        }

        @Test
        void shouldSkipDirectSendWhileWhatsAppsBlockIsInForceAndSayUntilWhen() {
            // Given WhatsApp refused Direct Send for the number with 139200 two hours ago, re-check in 22 hours
            Instant refusedAt = NOW.minus(Duration.ofHours(2));
            refusals.add(new DirectSendAccess.Refusal(DirectSendAccess.BLOCKED_CODE, refusedAt,
                    refusedAt.plus(Duration.ofHours(24))));

            Decision decision = decider.decide(utility(FallbackPolicy.DIRECT_SEND), closed(), ENABLED);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.SMS);
            assertThat(decision.explanation().fallbackChain()).containsExactly(
                    "DIRECT_SEND unavailable: refused 139200 at 2026-11-25T10:00:00Z, re-check at 2026-11-26T10:00:00Z",
                    "SMS");
            assertThat(decider.directSend(utility(FallbackPolicy.DIRECT_SEND), ENABLED).unavailable())
                    .isEqualTo(ChannelDecider.DirectSendUnavailable.REFUSED_BLOCKED);
        }

        @Test
        void shouldSkipDirectSendAfterANotEnabledRefusalUntilAnOperatorReEnablesIt() {
            refusals.add(new DirectSendAccess.Refusal(DirectSendAccess.NOT_ENABLED_CODE, NOW.minus(Duration.ofDays(3)), null));

            Decision decision = decider.decide(utility(FallbackPolicy.DIRECT_SEND), closed(), ENABLED);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.SMS);
            assertThat(decision.explanation().fallbackChain()).containsExactly(
                    "DIRECT_SEND unavailable: refused 100 at 2026-11-22T12:00:00Z, re-check when an operator re-enables it",
                    "SMS");
            assertThat(decider.directSend(utility(FallbackPolicy.DIRECT_SEND), ENABLED).unavailable())
                    .isEqualTo(ChannelDecider.DirectSendUnavailable.REFUSED_NOT_ENABLED);
        }

        @Test
        void shouldSendFreeFormWhileTheWindowIsOpen() {
            Decision decision = decider.decide(utility(FallbackPolicy.DIRECT_SEND),
                    session(PHONE, null, NOW.plus(Duration.ofHours(2))), ENABLED);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
        }

        @Test
        void shouldSendTheTemplateWhenNeitherDirectSendNorTheSmsCanGo() {
            // Given a landline (no SMS) and a text not marked utility
            Decision decision = decider.decide(reply(LANDLINE, FallbackPolicy.DIRECT_SEND, null),
                    session(LANDLINE, null, NOW.minus(Duration.ofHours(1))), ENABLED);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK);
            assertThat(send.explanation().fallbackChain()).containsExactly("DIRECT_SEND unavailable: not utility",
                    "SMS unavailable: not a mobile number", "TEMPLATE");
        }

        @Test
        void shouldSendAUsernameOnlyCustomerTheTemplateWhenDirectSendIsNotEnabled() {
            Decision decision = decider.decide(reply(BSUID, FallbackPolicy.AUTO, ContentCategory.UTILITY),
                    session(null, BSUID, NOW.minus(Duration.ofHours(1))), tenant(TenantPolicy.DIRECT_SEND, false));

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(decision.explanation().fallbackChain()).containsExactly("AUTO->DIRECT_SEND",
                    "DIRECT_SEND unavailable: not enabled for this number", "SMS unavailable: no customer phone",
                    "TEMPLATE");
        }

        @Test
        void shouldWaitForTheSessionOfAnUnknownConversationThenRejectItLikeTheSmsPolicy() {
            // A reply from an upstream system that saw no session version
            ReplyRequest reply = new ReplyRequest("cmd-1", "demo", NUMBER + ":" + PHONE, "agent-7", "Grace", TEXT, null,
                    FallbackPolicy.DIRECT_SEND, null, ContentCategory.UTILITY);

            assertThat(decider.waitFor(reply, null, ENABLED)).isEqualTo(ChannelDecider.Wait.CONVERSATION_SESSION);
            assertThat(decider.decide(reply, null, ENABLED).reason()).isEqualTo(OutcomeReason.UNKNOWN_CONVERSATION);
        }
    }

    @Nested
    class AfterTheDecision {

        static Decision.Send directSend(Explanation explanation) {
            return new Decision.Send(Channel.WHATSAPP_DIRECT_SEND, PHONE, null, TEXT, null,
                    OutcomeReason.WINDOW_CLOSED_DIRECT_SEND, explanation);
        }

        static Explanation closedAnHourAgo() {
            return new Explanation(WindowState.CLOSED, NOW.minus(Duration.ofHours(1)), Duration.ofHours(-1),
                    FallbackPolicy.DIRECT_SEND, 3L, List.of("DIRECT_SEND"), List.of());
        }

        @Test
        void shouldLetADirectSendWaitTheTenantsValidityUnboundedByTheWindowsEnd() {
            Explanation explanation = closedAnHourAgo();

            assertThat(decider.validUntil(Channel.WHATSAPP_DIRECT_SEND, explanation, NOW, ENABLED))
                    .isEqualTo(NOW.plus(TenantRules.DEFAULT_REPLY_VALIDITY));
            // free-form, by contrast, ends at the window's end minus the margin
            assertThat(decider.validUntil(Channel.WHATSAPP, explanation, NOW, ENABLED))
                    .isEqualTo(NOW.minus(Duration.ofHours(1)).minusSeconds(60));
        }

        @Test
        void shouldSendTheSmsWhenWhatsAppStayedDownForADirectSendsValidity() {
            Decision decision = decider.afterProviderUnavailable(directSend(closedAnHourAgo()), ENABLED);

            Decision.Send send = (Decision.Send) decision;
            assertThat(send.channel()).isEqualTo(Channel.SMS);
            assertThat(send.reason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_SMS_FALLBACK);
            assertThat(send.explanation().fallbackChain())
                    .containsExactly("DIRECT_SEND", "WHATSAPP_DIRECT_SEND unavailable for the reply validity", "SMS");
        }

        @Test
        void shouldFallBackLikeTheSmsPolicyWhenWhatsAppRefusesAFreeFormReplyUnderDirectSend() {
            // A reply sent free-form while the window was open, refused 131047: Direct Send is not tried again
            Explanation open = new Explanation(WindowState.OPEN, NOW.plusSeconds(120), Duration.ofSeconds(120),
                    FallbackPolicy.DIRECT_SEND, 3L, List.of("AUTO->DIRECT_SEND"), List.of());
            Decision.Send freeForm = new Decision.Send(Channel.WHATSAPP, PHONE, null, TEXT, null, OutcomeReason.WINDOW_OPEN,
                    open);

            Decision.Send send = (Decision.Send) decider.afterWhatsAppRefusal(freeForm, ChannelDecider.WINDOW_CLOSED_CODE,
                    ENABLED, false);

            assertThat(send.channel()).isEqualTo(Channel.SMS);
            assertThat(send.reason()).isEqualTo(OutcomeReason.PROVIDER_WINDOW_CLOSED_SMS_FALLBACK);
        }

        @Test
        void shouldSendTheTemplateWhenTheSmsStayedDownUnderDirectSend() {
            Decision.Send sms = new Decision.Send(Channel.SMS, PHONE, null, TEXT, null,
                    OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK,
                    closedAnHourAgo().withSteps("DIRECT_SEND unavailable: not utility", "SMS"));

            Decision decision = decider.afterProviderUnavailable(sms, ENABLED);

            assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
            assertThat(decision.reason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_TEMPLATE_FALLBACK);
        }
    }

    @Test
    void shouldKeepDirectSendOffForATenantThatSetsNothingAndRecheckADayAfterARefusal() {
        assertThat(ChannelDeciderTest.DEMO.directSend()).isEqualTo(TenantRules.DirectSend.DISABLED);
        assertThat(new TenantRules.DirectSend(true, null).recheckAfter()).isEqualTo(Duration.ofHours(24));
    }
}
