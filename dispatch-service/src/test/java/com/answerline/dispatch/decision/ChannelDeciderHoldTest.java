package com.answerline.dispatch.decision;

import static com.answerline.dispatch.decision.ChannelDeciderTest.BSUID;
import static com.answerline.dispatch.decision.ChannelDeciderTest.CONVERSATION;
import static com.answerline.dispatch.decision.ChannelDeciderTest.DEMO;
import static com.answerline.dispatch.decision.ChannelDeciderTest.NOW;
import static com.answerline.dispatch.decision.ChannelDeciderTest.PHONE;
import static com.answerline.dispatch.decision.ChannelDeciderTest.TEMPLATE_BODY;
import static com.answerline.dispatch.decision.ChannelDeciderTest.reply;
import static com.answerline.dispatch.decision.ChannelDeciderTest.sessionExpiringAt;
import static com.answerline.dispatch.decision.ChannelDeciderTest.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.dispatch.template.TemplateValidator;

/** TEMPLATE_THEN_HOLD: the invitation now, the agent's text held, and its release once the customer is back. */
class ChannelDeciderHoldTest {

    static final TenantRules HOLD_TENANT = tenant(FallbackPolicy.TEMPLATE_THEN_HOLD);
    static final SessionSnapshot CLOSED = sessionExpiringAt(NOW.minus(Duration.ofHours(1)));

    final MutableClock clock = new MutableClock(NOW);
    final ChannelDecider decider = new ChannelDecider(clock, Duration.ofSeconds(60));

    @Test
    void shouldSendTheInvitationAndHoldTheAnswerWhenTheTenantsPolicyIsTemplateThenHold() {
        // When the agent replies AUTO into a closed window of a TEMPLATE_THEN_HOLD tenant
        Decision decision = decider.decide(reply(FallbackPolicy.AUTO), CLOSED, HOLD_TENANT);

        // Then the decision is to hold: the default invitation template now, the agent's text kept
        assertThat(decision).isInstanceOf(Decision.Hold.class);
        Decision.Send invitation = ((Decision.Hold) decision).invitation();
        assertThat(invitation.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(invitation.template().name()).isEqualTo("customer_care_reopen");
        assertThat(invitation.template().parameters()).containsExactly("Ada", "Grace");
        assertThat(invitation.recipientPhone()).isEqualTo(PHONE);
        assertThat(invitation.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK);
        assertThat(decision.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_ANSWER_HELD);
        assertThat(decision.explanation().fallbackChain()).containsExactly("AUTO->TEMPLATE_THEN_HOLD", "TEMPLATE", "HOLD");
        assertThat(decision.explanation().policy()).isEqualTo(FallbackPolicy.TEMPLATE_THEN_HOLD);
        assertThat(decision.explanation().windowState()).isEqualTo(WindowState.CLOSED);
    }

    @Test
    void shouldHoldWhenTheCommandAsksForTemplateThenHoldWhateverTheTenantsPolicy() {
        Decision decision = decider.decide(reply(FallbackPolicy.TEMPLATE_THEN_HOLD), CLOSED, DEMO);

        assertThat(decision).isInstanceOf(Decision.Hold.class);
        assertThat(decision.explanation().fallbackChain()).containsExactly("TEMPLATE", "HOLD");
    }

    @Test
    void shouldSendFreeFormAndHoldNothingWhileTheWindowIsOpen() {
        Decision decision = decider.decide(reply(FallbackPolicy.TEMPLATE_THEN_HOLD),
                sessionExpiringAt(NOW.plus(Duration.ofHours(2))), HOLD_TENANT);

        assertThat(decision).isInstanceOf(Decision.Send.class);
        assertThat(((Decision.Send) decision).channel()).isEqualTo(Channel.WHATSAPP);
        assertThat(decision.explanation().fallbackChain()).isEmpty();
    }

    @Test
    void shouldHoldForAnUnknownConversationOnlyAfterWaitingForItsSession() {
        ReplyRequest unversioned = new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", "Grace", "Hi", null,
                FallbackPolicy.TEMPLATE_THEN_HOLD, null);

        // The reply first waits for a session this task may not have read yet
        assertThat(decider.waitFor(unversioned, null, DEMO)).isEqualTo(ChannelDecider.Wait.CONVERSATION_SESSION);

        // Decided as unknown, only a template may start it: the invitation, with the text held
        Decision decision = decider.decide(unversioned, null, DEMO);
        assertThat(decision).isInstanceOf(Decision.Hold.class);
        Decision.Send invitation = ((Decision.Hold) decision).invitation();
        assertThat(invitation.reason()).isEqualTo(OutcomeReason.UNKNOWN_CONVERSATION_TEMPLATE);
        assertThat(invitation.template().parameters()).containsExactly("customer", "Grace");
        assertThat(decision.explanation().windowState()).isEqualTo(WindowState.NEVER_OPENED);
        assertThat(decision.explanation().fallbackChain()).containsExactly("TEMPLATE", "HOLD");
    }

    @Test
    void shouldRejectAndHoldNothingWhenTheInvitationTemplateFailsItsCheck() {
        TemplateCatalogue catalogue = new TemplateCatalogue();
        catalogue.seed("200000000000001", List.of(new CatalogueTemplate("customer_care_reopen", "en_US", "UTILITY",
                "PAUSED", TEMPLATE_BODY)));
        ChannelDecider checked = new ChannelDecider(clock, Duration.ofSeconds(60),
                new TemplateValidator(catalogue, rules -> "200000000000001"));

        Decision decision = checked.decide(reply(FallbackPolicy.AUTO), CLOSED, HOLD_TENANT);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(decision.reason()).isEqualTo(OutcomeReason.TEMPLATE_NOT_APPROVED);
        assertThat(decision.explanation().fallbackChain()).startsWith("AUTO->TEMPLATE_THEN_HOLD", "TEMPLATE")
                .doesNotContain("HOLD");
    }

    @Test
    void shouldReleaseTheHeldAnswerAsFreeFormWhenTheWindowIsOpenAgain() {
        Explanation held = decider.decide(reply(FallbackPolicy.AUTO), CLOSED, HOLD_TENANT).explanation();
        clock.advance(Duration.ofHours(3));

        // When the customer wrote back: window open for almost 24 h
        SessionSnapshot reopened = new SessionSnapshot(4, "100000000000001", PHONE, BSUID, "Ada",
                NOW.plus(Duration.ofHours(27)));
        Optional<Decision.Send> released = decider.releaseHeld(reply(FallbackPolicy.AUTO), held, reopened);

        // Then the agent's own text goes out on WhatsApp, the chain extended
        assertThat(released).hasValueSatisfying(send -> {
            assertThat(send.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(send.text()).isEqualTo("Your parcel left today.");
            assertThat(send.recipientPhone()).isEqualTo(PHONE);
            assertThat(send.reason()).isEqualTo(OutcomeReason.HELD_ANSWER_RELEASED);
            assertThat(send.explanation().windowState()).isEqualTo(WindowState.OPEN);
            assertThat(send.explanation().sessionVersion()).isEqualTo(4L);
            assertThat(send.explanation().policy()).isEqualTo(FallbackPolicy.TEMPLATE_THEN_HOLD);
            assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->TEMPLATE_THEN_HOLD", "TEMPLATE", "HOLD",
                    "customer returned", "WHATSAPP");
        });
    }

    @Test
    void shouldKeepHoldingWhileTheWindowIsWithinTheSafetyMargin() {
        Explanation held = decider.decide(reply(FallbackPolicy.AUTO), CLOSED, HOLD_TENANT).explanation();

        assertThat(decider.releaseHeld(reply(FallbackPolicy.AUTO), held, sessionExpiringAt(NOW.plusSeconds(60)))).isEmpty();
        assertThat(decider.releaseHeld(reply(FallbackPolicy.AUTO), held, CLOSED)).isEmpty();
    }

    @Test
    void shouldNotHoldAfterAProviderRefusalAndSaySo() {
        Decision.Send refused = new Decision.Send(Channel.WHATSAPP, PHONE, BSUID, "Your parcel left today.", null,
                OutcomeReason.WINDOW_OPEN, new Explanation(WindowState.OPEN, NOW.plus(Duration.ofHours(1)),
                Duration.ofHours(1), FallbackPolicy.TEMPLATE_THEN_HOLD, 3L, List.of(), List.of()));

        Decision decision = decider.afterWhatsAppRefusal(refused, ChannelDecider.WINDOW_CLOSED_CODE, HOLD_TENANT, false);

        assertThat(decision).isInstanceOf(Decision.Send.class);
        assertThat(decision.explanation().fallbackChain()).containsExactly("WHATSAPP refused: 131047 window closed",
                "TEMPLATE", "HOLD not applied after a refused send");
    }
}
