package com.answerline.dispatch.decision;

import static com.answerline.dispatch.decision.ChannelDeciderTest.BSUID;
import static com.answerline.dispatch.decision.ChannelDeciderTest.CONVERSATION;
import static com.answerline.dispatch.decision.ChannelDeciderTest.NOW;
import static com.answerline.dispatch.decision.ChannelDeciderTest.PHONE;
import static com.answerline.dispatch.decision.ChannelDeciderTest.TEMPLATE_BODY;
import static com.answerline.dispatch.decision.ChannelDeciderTest.sessionExpiringAt;
import static com.answerline.dispatch.decision.ChannelDeciderTest.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.dispatch.template.TemplateValidator;

/** The decision with the real template catalogue behind it: a template that fails its check is never sent. */
class ChannelDeciderTemplateTest {

    static final String WABA = "200000000000001";
    static final TenantRules DEMO = tenant(FallbackPolicy.SMS);
    static final TenantRules TEMPLATE_TENANT = tenant(FallbackPolicy.TEMPLATE);

    final TemplateCatalogue catalogue = new TemplateCatalogue();
    final ChannelDecider decider = new ChannelDecider(new MutableClock(NOW), Duration.ofSeconds(60),
            new TemplateValidator(catalogue, rules -> WABA));

    void catalogueHas(String name, String language, String status, String body) {
        catalogue.seed(WABA, List.of(new CatalogueTemplate(name, language, "UTILITY", status, body)));
    }

    static ReplyRequest templateReply(String name, String language, List<String> parameters) {
        return new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", "Grace", null,
                new TemplateMessage(name, language, parameters), FallbackPolicy.AUTO, 3L);
    }

    static ReplyRequest textReply() {
        return new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", "Grace", "Your parcel left today.", null,
                FallbackPolicy.AUTO, 3L);
    }

    @Test
    void shouldSendTheAgentsApprovedTemplateWithTheRenderedText() {
        catalogueHas("order_update", "de", "APPROVED", "Hallo {{1}}, Ihre Bestellung {{2}} ist unterwegs.");

        Decision decision = decider.decide(templateReply("order_update", "de", List.of("Ada", "4711")),
                sessionExpiringAt(NOW.minus(Duration.ofHours(1))), DEMO);

        Decision.Send send = (Decision.Send) decision;
        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.reason()).isEqualTo(OutcomeReason.TEMPLATE_REQUESTED);
        assertThat(send.text()).isEqualTo("Hallo Ada, Ihre Bestellung 4711 ist unterwegs.");
    }

    @Test
    void shouldSendTheInvitationWithAProfileNameWhatsAppWouldRefuseNormalised() {
        // Given a customer whose WhatsApp profile name has a line break, a tab and a run of spaces (132018)
        catalogueHas("customer_care_reopen", "en_US", "APPROVED", TEMPLATE_BODY);
        SessionSnapshot session = new SessionSnapshot(3, "100000000000001", PHONE, BSUID, "Ada\nLovelace\t     Jr",
                NOW.minus(Duration.ofHours(1)));
        ReplyRequest reply = new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", "Grace\r\nHopper", "Sorry", null,
                FallbackPolicy.TEMPLATE, 3L);

        // When the closed window's reply falls back to the invitation
        Decision.Send send = (Decision.Send) decider.decide(reply, session, DEMO);

        // Then it goes out with the names as WhatsApp accepts them, in the parameters and the text
        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.template().parameters()).containsExactly("Ada Lovelace Jr", "Grace Hopper");
        assertThat(send.text()).startsWith("Dear Ada Lovelace Jr,").endsWith("Best regards, Grace Hopper");
    }

    @Test
    void shouldSendTheAgentsTemplateWithItsParametersNormalised() {
        catalogueHas("order_update", "de", "APPROVED", "Hallo {{1}}, Ihre Bestellung {{2}} ist unterwegs.");

        Decision.Send send = (Decision.Send) decider.decide(
                templateReply("order_update", "de", List.of("Ada\tL.", "47     11\n")),
                sessionExpiringAt(NOW.minus(Duration.ofHours(1))), DEMO);

        assertThat(send.template().parameters()).containsExactly("Ada L.", "47 11");
    }

    @Test
    void shouldRejectAnAgentsTemplateWithAParameterThatCannotBeMadeValid() {
        // Given an approved template and a second parameter of only line breaks and spaces (empty once normalised)
        catalogueHas("order_update", "de", "APPROVED", "Hallo {{1}}, Ihre Bestellung {{2}} ist unterwegs.");

        // When
        Decision decision = decider.decide(templateReply("order_update", "de", List.of("Ada", "\n   \n")),
                sessionExpiringAt(NOW.minus(Duration.ofHours(1))), DEMO);

        // Then nothing is sent: the reply is rejected with the reason and the parameter, never a provider error
        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(decision.reason()).isEqualTo(OutcomeReason.TEMPLATE_PARAMETER_INVALID);
        assertThat(decision.explanation().fallbackChain()).endsWith("template order_update/de: parameter 2 is empty");
    }

    @Test
    void shouldRejectAnAgentsTemplateThatIsNotInTheCatalogue() {
        catalogueHas("customer_care_reopen", "en_US", "APPROVED", TEMPLATE_BODY);

        Decision decision = decider.decide(templateReply("summer_sale", "en_US", List.of()), null, DEMO);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(decision.reason()).isEqualTo(OutcomeReason.TEMPLATE_NOT_FOUND);
        assertThat(decision.explanation().fallbackChain()).containsExactly("AUTO->SMS",
                "template summer_sale/en_US: not in the catalogue");
    }

    @Test
    void shouldRejectAnAgentsTemplateInALanguageItDoesNotHave() {
        catalogueHas("customer_care_reopen", "en_US", "APPROVED", TEMPLATE_BODY);

        Decision decision = decider.decide(templateReply("customer_care_reopen", "fr", List.of("Ada", "Grace")),
                sessionExpiringAt(NOW.plus(Duration.ofHours(2))), DEMO);

        assertThat(decision.reason()).isEqualTo(OutcomeReason.TEMPLATE_LANGUAGE_NOT_FOUND);
    }

    @Test
    void shouldRejectAPausedTemplateEvenInsideTheWindow() {
        catalogueHas("customer_care_reopen", "en_US", "PAUSED", TEMPLATE_BODY);

        Decision decision = decider.decide(templateReply("customer_care_reopen", "en_US", List.of("Ada", "Grace")),
                sessionExpiringAt(NOW.plus(Duration.ofHours(2))), DEMO);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(decision.reason()).isEqualTo(OutcomeReason.TEMPLATE_NOT_APPROVED);
        assertThat(decision.explanation().windowState()).isEqualTo(WindowState.OPEN);
        assertThat(decision.explanation().fallbackChain()).last().asString().contains("PAUSED");
    }

    @Test
    void shouldRejectAnAgentsTemplateWithTheWrongParameterCount() {
        catalogueHas("customer_care_reopen", "en_US", "APPROVED", TEMPLATE_BODY);

        Decision decision = decider.decide(templateReply("customer_care_reopen", "en_US", List.of("Ada")), null, DEMO);

        assertThat(decision.reason()).isEqualTo(OutcomeReason.TEMPLATE_PARAMETER_MISMATCH);
    }

    @Test
    void shouldRejectTheWindowClosedFallbackWhenTheDefaultTemplateIsDisabled() {
        catalogueHas("customer_care_reopen", "en_US", "DISABLED", TEMPLATE_BODY);

        Decision decision = decider.decide(textReply(), sessionExpiringAt(NOW.minus(Duration.ofHours(1))), TEMPLATE_TENANT);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(decision.reason()).isEqualTo(OutcomeReason.TEMPLATE_NOT_APPROVED);
        assertThat(decision.explanation().fallbackChain()).startsWith("AUTO->TEMPLATE", "TEMPLATE");
    }

    @Test
    void shouldSendTheApprovedDefaultTemplateRenderedFromTheCatalogue() {
        catalogueHas("customer_care_reopen", "en_US", "APPROVED", "Hi {{1}}, {{2}} here.");

        Decision decision = decider.decide(textReply(), sessionExpiringAt(NOW.minus(Duration.ofHours(1))), TEMPLATE_TENANT);

        Decision.Send send = (Decision.Send) decision;
        assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK);
        assertThat(send.text()).isEqualTo("Hi Ada, Grace here.");
    }

    @Test
    void shouldStillWaitForTheSessionOfAnUnknownConversationAlthoughTheDefaultTemplateIsMissing() {
        // The window rules decide whether a reply waits; the missing template only matters once it is decided.
        ReplyRequest firstReply = new ReplyRequest("cmd-1", "demo", CONVERSATION, "agent-7", "Grace",
                "Your parcel left today.", null, FallbackPolicy.AUTO, null);

        assertThat(decider.waitFor(firstReply, null, TEMPLATE_TENANT)).isEqualTo(ChannelDecider.Wait.CONVERSATION_SESSION);
        assertThat(decider.decide(firstReply, null, TEMPLATE_TENANT).reason()).isEqualTo(OutcomeReason.TEMPLATE_NOT_FOUND);
    }

    @Test
    void shouldRejectTheProviderWindowClosedFallbackWhenTheDefaultTemplateIsRejected() {
        catalogueHas("customer_care_reopen", "en_US", "REJECTED", TEMPLATE_BODY);
        Explanation open = new Explanation(WindowState.OPEN, NOW.plus(Duration.ofHours(1)), Duration.ofHours(1),
                FallbackPolicy.TEMPLATE, 3L, List.of(), List.of());
        Decision.Send refused = new Decision.Send(Channel.WHATSAPP, PHONE, BSUID, "Your parcel left today.", null,
                OutcomeReason.WINDOW_OPEN, open);

        Decision decision = decider.afterWhatsAppRefusal(refused, 131047, TEMPLATE_TENANT, false);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(decision.reason()).isEqualTo(OutcomeReason.TEMPLATE_NOT_APPROVED);
        assertThat(decision.explanation().fallbackChain()).startsWith("WHATSAPP refused: 131047 window closed", "TEMPLATE");
    }
}
