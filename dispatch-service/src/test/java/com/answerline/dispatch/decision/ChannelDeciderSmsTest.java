package com.answerline.dispatch.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.SendStep;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.support.MutableClock;

/** Issue 5 sections 4 and 5: the SMS rules of the decision and the fallback after WhatsApp refused a send. */
class ChannelDeciderSmsTest {

    static final Instant NOW = ChannelDeciderTest.NOW;
    static final String MOBILE = "4915112345678";
    static final String LANDLINE = "493012345678";
    static final String DEMO_555 = "15551234567";

    final ChannelDecider decider = new ChannelDecider(new MutableClock(NOW), Duration.ofSeconds(60));

    static TenantRules tenant(String senderId, int maxSegments) {
        return new TenantRules("demo", "100000000000001", "15550000001", TenantPolicy.SMS, "customer_care_reopen",
                "en_US", ChannelDeciderTest.TEMPLATE_BODY, "Reply on WhatsApp to continue:",
                "Hi, I'd like to continue our conversation", senderId, maxSegments);
    }

    static ReplyRequest reply(String phone, String text) {
        return new ReplyRequest("cmd-1", "demo", "100000000000001:" + phone, "agent-7", "Grace", text, null,
                FallbackPolicy.SMS, 3L);
    }

    static SessionSnapshot closed(String phone) {
        return new SessionSnapshot(3, "100000000000001", phone, null, "Alex", NOW.minus(Duration.ofHours(1)));
    }

    Decision decideClosed(String phone, String text, TenantRules tenant) {
        return decider.decide(reply(phone, text), closed(phone), tenant);
    }

    @Test
    void shouldSendTheSmsToAMobileNumberWithinTheMaximum() {
        Decision.Send send = (Decision.Send) decideClosed(MOBILE, "Your parcel left today.", tenant(null, 3));

        assertThat(send.channel()).isEqualTo(Channel.SMS);
        assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK);
    }

    @Test
    void shouldKeepTheDemo555NumbersOnSmsBecauseLibphonenumberCannotTypeThem() {
        // 555 numbers are not valid for libphonenumber: type unknown, not refused (the provider judges)
        Decision.Send send = (Decision.Send) decideClosed(DEMO_555, "Your parcel left today.", tenant(null, 3));

        assertThat(send.channel()).isEqualTo(Channel.SMS);
    }

    @Test
    void shouldSendTheTemplateToALandline() {
        Decision.Send send = (Decision.Send) decideClosed(LANDLINE, "Your parcel left today.", tenant(null, 3));

        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.reason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK);
        assertThat(send.explanation().fallbackChain()).containsExactly("SMS unavailable: not a mobile number", "TEMPLATE");
    }

    @Test
    void shouldSendTheTemplateWhenTheSmsWouldTakeMoreSegmentsThanTheMaximum() {
        // 400 characters of text + invitation and link: 4 GSM-7 segments, over a maximum of 3
        String text = "a".repeat(400);

        Decision.Send send = (Decision.Send) decideClosed(MOBILE, text, tenant(null, 3));

        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.explanation().fallbackChain()).containsExactly("SMS unavailable: 4 segments > 3", "TEMPLATE");
    }

    @Test
    void shouldHonourATenantsHigherMaximum() {
        Decision.Send send = (Decision.Send) decideClosed(MOBILE, "a".repeat(400), tenant(null, 5));

        assertThat(send.channel()).isEqualTo(Channel.SMS);
    }

    @Test
    void shouldNotOfferSmsAsAnAlternativeForALandline() {
        Decision decision = decider.decide(new ReplyRequest("cmd-1", "demo", "100000000000001:" + LANDLINE, "agent-7",
                "Grace", "Hi", null, FallbackPolicy.NONE, 3L), closed(LANDLINE), tenant(null, 3));

        assertThat(decision.explanation().alternatives()).containsExactly("TEMPLATE:customer_care_reopen");
    }

    @Test
    void shouldSendFromTheDisplayNumberInE164UnlessTheTenantNamesASenderId() {
        assertThat(tenant(null, 3).smsSenderId()).isEqualTo("+15550000001");
        assertThat(tenant("Answerline", 3).smsSenderId()).isEqualTo("Answerline");
    }

    @Test
    void shouldFallBackToSmsAfterASynchronous131026NamingTheCode() {
        Decision.Send send = (Decision.Send) decider.afterWhatsAppRefusal(freeForm(MOBILE), 131026, tenant(null, 3), false);

        assertThat(send.channel()).isEqualTo(Channel.SMS);
        assertThat(send.reason()).isEqualTo(OutcomeReason.PROVIDER_UNDELIVERABLE_SMS_FALLBACK);
        assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->SMS", "WHATSAPP refused: 131026 undeliverable", "SMS");
    }

    @Test
    void shouldFallBackToTheTemplateAfter131026WhenTheSmsCannotGoToALandline() {
        Decision.Send send = (Decision.Send) decider.afterWhatsAppRefusal(freeForm(LANDLINE), 131026, tenant(null, 3), false);

        assertThat(send.channel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(send.reason()).isEqualTo(OutcomeReason.PROVIDER_UNDELIVERABLE_TEMPLATE_FALLBACK);
        assertThat(send.explanation().fallbackChain()).containsExactly("AUTO->SMS", "WHATSAPP refused: 131026 undeliverable",
                "SMS unavailable: not a mobile number", "TEMPLATE");
    }

    @Test
    void shouldNeverAnswerARefusedTemplateWithATemplate() {
        Decision.Send template = new Decision.Send(Channel.WHATSAPP_TEMPLATE, LANDLINE, null, "Dear Alex, ...",
                new TemplateMessage("customer_care_reopen", "en_US", List.of("Alex", "Grace")),
                OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK, explanation(FallbackPolicy.SMS));

        Decision decision = decider.afterWhatsAppRefusal(template, 131026, tenant(null, 3), false);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(decision.reason()).isEqualTo(OutcomeReason.PROVIDER_UNDELIVERABLE);
    }

    @Test
    void shouldSendARefusedTemplatesTextBySmsWhenThePolicyIsSms() {
        Decision.Send template = new Decision.Send(Channel.WHATSAPP_TEMPLATE, MOBILE, null, "Dear Alex, ...",
                new TemplateMessage("customer_care_reopen", "en_US", List.of("Alex", "Grace")),
                OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK, explanation(FallbackPolicy.SMS));

        Decision.Send send = (Decision.Send) decider.afterWhatsAppRefusal(template, 131026, tenant(null, 3), true);

        assertThat(send.channel()).isEqualTo(Channel.SMS);
        assertThat(send.text()).startsWith("Dear Alex, ...\n\nReply on WhatsApp to continue: https://wa.me/15550000001");
        assertThat(send.reason()).isEqualTo(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK);
    }

    @Test
    void shouldRecordAnAsynchronousFailureAsDeliveryFailedInTheChain() {
        Decision.Send send = (Decision.Send) decider.afterWhatsAppRefusal(freeForm(MOBILE), 131047, tenant(null, 3), true);

        assertThat(send.reason()).isEqualTo(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK);
        assertThat(send.explanation().fallbackChain())
                .containsExactly("AUTO->SMS", "WHATSAPP delivery failed: 131047 window closed", "SMS");
    }

    static Explanation explanation(FallbackPolicy policy) {
        return new Explanation(WindowState.OPEN, NOW.plus(Duration.ofHours(1)), Duration.ofHours(1), policy, 3L,
                List.of("AUTO->" + policy), List.of());
    }

    static Decision.Send freeForm(String phone) {
        return new Decision.Send(Channel.WHATSAPP, phone, null, "Your parcel left today.", null, OutcomeReason.WINDOW_OPEN,
                explanation(FallbackPolicy.SMS));
    }
}
