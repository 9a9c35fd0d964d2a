package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.TemplateRef;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.sms.SmsClientTest;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;

class ReplySenderTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String WAMID = "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.OK\"}]}";
    static final String SMS_SID = "{\"sid\":\"SM42\",\"status\":\"queued\"}";
    static final String WINDOW_CLOSED = """
            {"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"fbtrace_id":"f"}}""";

    static final String UNDELIVERABLE = """
            {"error":{"message":"(#131026) Message undeliverable","type":"OAuthException","code":131026}}""";

    RecordingHttpServer provider;
    ReplySender sender;

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
        var properties = ProductionConfig.dispatchProperties();
        MutableClock clock = new MutableClock(NOW);
        sender = new ReplySender(
                new WhatsAppClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "v23.0", "t"),
                new SmsClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "AC0", "s",
                        "http://127.0.0.1:8081/webhooks/sms/status"),
                new ChannelDecider(clock, Duration.ofSeconds(60)), ProductionConfig.tenants()::rules, clock, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void shouldReportSentWithTheWamidAndTheTextTheCustomerSees() {
        provider.answer(request -> new Response(200, WAMID));

        DispatchOutcome outcome = sender.send(request(FallbackPolicy.SMS));

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(outcome.getProviderMessageId()).isEqualTo("wamid.OK");
        assertThat(outcome.getRenderedText()).isEqualTo("Your parcel left today.");
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(outcome.getAttempts()).isEqualTo(1);
        assertThat(outcome.getAgentId()).isEqualTo("agent-7");
        assertThat(outcome.getTemplate()).isNull();
        assertThat(outcome.getErrorTitle()).isNull();
    }

    @Test
    void shouldNameEverySendByConversationCommandAndStepForTheProviderToEcho() {
        // Given WhatsApp refuses free-form (window closed on its side) and the SMS provider accepts
        provider.answer(request -> request.path().endsWith("/messages") ? new Response(400, WINDOW_CLOSED)
                : new Response(201, SMS_SID));

        // When a held answer is sent (WhatsApp first, then the SMS fallback)
        sender.send(SendRequest.newBuilder(request(FallbackPolicy.SMS)).setStep(SendStep.HELD_ANSWER).build());

        // Then the WhatsApp body carries biz_opaque_callback_data, and the SMS's StatusCallback the same reference
        String reference = "al1|100000000000001:4915112345678|cmd-1|HELD_ANSWER";
        assertThat(provider.requests()).hasSize(2);
        assertThat(provider.requests().get(0).body()).contains("\"biz_opaque_callback_data\":\"" + reference + "\"");
        assertThat(SmsClientTest.form(provider.requests().get(1).body())).containsEntry("StatusCallback",
                "http://127.0.0.1:8081/webhooks/sms/status?ref=" + URLEncoder.encode(reference, StandardCharsets.UTF_8));
    }

    @Test
    void shouldFallBackToSmsWhenWhatsAppAnswers131047BecauseWhatsAppIsTheFinalJudge() {
        // Given WhatsApp refuses free-form (window closed on its side) and the SMS provider accepts
        provider.answer(request -> request.path().endsWith("/messages") ? new Response(400, WINDOW_CLOSED)
                : new Response(201, SMS_SID));

        DispatchOutcome outcome = sender.send(request(FallbackPolicy.SMS));

        // Then the customer gets the SMS with the link, and the outcome records the chain
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.SMS);
        assertThat(outcome.getProviderMessageId()).isEqualTo("SM42");
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_WINDOW_CLOSED_SMS_FALLBACK);
        assertThat(outcome.getRenderedText()).contains("https://wa.me/15550000001?text=");
        assertThat(outcome.getExplanation().getFallbackChain())
                .containsExactly("WHATSAPP refused: 131047 window closed", "SMS");
        assertThat(outcome.getAttempts()).isEqualTo(2);
        assertThat(provider.requests()).hasSize(2);
    }

    @Test
    void shouldNeverRetryFreeFormAfter131047AndRejectWhenThePolicyAllowsNoFallback() {
        provider.answer(request -> new Response(400, WINDOW_CLOSED));

        DispatchOutcome outcome = sender.send(request(FallbackPolicy.NONE));

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED);
        assertThat(outcome.getErrorCode()).isEqualTo(131047);
        assertThat(outcome.getErrorTitle()).isEqualTo("Re-engagement message");
        assertThat(outcome.getAgentId()).isEqualTo("agent-7");
        assertThat(outcome.getExplanation().getAlternatives()).contains("SMS");
        assertThat(provider.requests()).hasSize(1);
    }

    @Test
    void shouldReportFailedWithTheProviderCodeForOtherErrors() {
        provider.answer(request -> new Response(400, """
                {"error":{"message":"(#131049) Not delivered to maintain healthy ecosystem engagement","type":"OAuthException","code":131049}}"""));

        DispatchOutcome outcome = sender.send(request(FallbackPolicy.SMS));

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WHATSAPP_ERROR);
        assertThat(outcome.getErrorCode()).isEqualTo(131049);
        assertThat(outcome.getErrorTitle()).isEqualTo("Not delivered to maintain healthy ecosystem engagement");
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(provider.requests()).hasSize(1);
    }

    @Test
    void shouldFallBackToSmsOnceWhenWhatsAppAnswers131026() {
        // Given WhatsApp cannot deliver to this customer (not on WhatsApp) and the SMS provider accepts
        provider.answer(request -> request.path().endsWith("/messages") ? new Response(400, UNDELIVERABLE)
                : new Response(201, SMS_SID));

        DispatchOutcome outcome = sender.send(request(FallbackPolicy.SMS));

        // Then one SMS from the tenant's sender id, with the link, and the chain names the code
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.SMS);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNDELIVERABLE_SMS_FALLBACK);
        assertThat(outcome.getProviderMessageId()).isEqualTo("SM42");
        assertThat(outcome.getExplanation().getFallbackChain())
                .containsExactly("WHATSAPP refused: 131026 undeliverable", "SMS");
        assertThat(outcome.getSmsEncoding()).isEqualTo("GSM_7");
        assertThat(outcome.getSmsSegments()).isEqualTo(1);
        assertThat(outcome.getStep()).isEqualTo(SendStep.REPLY);
        assertThat(provider.requests()).hasSize(2);
        assertThat(provider.requests().get(1).body()).contains("From=%2B15550000001").contains("wa.me");
    }

    @Test
    void shouldEndATemplateRefusedWith131026AsFailedWithoutAnotherTemplate() {
        provider.answer(request -> new Response(400, UNDELIVERABLE));
        SendRequest template = SendRequest.newBuilder(request(FallbackPolicy.TEMPLATE))
                .setChannel(Channel.WHATSAPP_TEMPLATE)
                .setText("Dear customer, ...")
                .setTemplate(TemplateRef.newBuilder().setName("customer_care_reopen").setLanguage("en_US")
                        .setParameters(List.of("customer", "our team")).build())
                .build();

        DispatchOutcome outcome = sender.send(template);

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNDELIVERABLE);
        assertThat(outcome.getErrorCode()).isEqualTo(131026);
        assertThat(outcome.getErrorTitle()).isEqualTo("Message undeliverable");
        assertThat(outcome.getTemplate().getName()).isEqualTo("customer_care_reopen");
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(provider.requests()).hasSize(1);
    }

    @Test
    void shouldReportASentInvitationAsHeldAndNotFinal() {
        provider.answer(request -> new Response(200, WAMID));
        Instant expires = NOW.plus(Duration.ofDays(7));
        SendRequest invitation = SendRequest.newBuilder(request(FallbackPolicy.TEMPLATE_THEN_HOLD))
                .setChannel(Channel.WHATSAPP_TEMPLATE)
                .setText("Dear customer, ...")
                .setTemplate(TemplateRef.newBuilder().setName("customer_care_reopen").setLanguage("en_US")
                        .setParameters(List.of("customer", "our team")).build())
                .setStep(SendStep.HOLD_INVITATION)
                .setOutcomeReason(OutcomeReason.WINDOW_CLOSED_ANSWER_HELD)
                .setHoldExpiresAt(expires)
                .build();

        DispatchOutcome outcome = sender.send(invitation);

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.HELD);
        assertThat(outcome.getFinal$()).isFalse();
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_ANSWER_HELD);
        assertThat(outcome.getStep()).isEqualTo(SendStep.HOLD_INVITATION);
        assertThat(outcome.getProviderMessageId()).isEqualTo("wamid.OK");
        assertThat(outcome.getRenderedText()).isEqualTo("Dear customer, ...");
        assertThat(outcome.getHoldExpiresAt()).isEqualTo(expires);
        assertThat(outcome.getTemplate().getName()).isEqualTo("customer_care_reopen");
        assertThat(outcome.getTemplate().getParameters()).containsExactly("customer", "our team");
        assertThat(outcome.getAgentId()).isEqualTo("agent-7");
    }

    @Test
    void shouldEndAFailedInvitationFinal() {
        provider.answer(request -> new Response(400, UNDELIVERABLE));
        SendRequest invitation = SendRequest.newBuilder(request(FallbackPolicy.TEMPLATE_THEN_HOLD))
                .setChannel(Channel.WHATSAPP_TEMPLATE)
                .setTemplate(TemplateRef.newBuilder().setName("customer_care_reopen").setLanguage("en_US")
                        .setParameters(List.of("customer", "our team")).build())
                .setStep(SendStep.HOLD_INVITATION)
                .build();

        DispatchOutcome outcome = sender.send(invitation);

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(outcome.getStep()).isEqualTo(SendStep.HOLD_INVITATION);
        assertThat(provider.requests()).hasSize(1);
    }

    @Test
    void shouldReportAReleasedHeldAnswer() {
        provider.answer(request -> new Response(200, WAMID));

        DispatchOutcome outcome = sender.send(SendRequest.newBuilder(request(FallbackPolicy.TEMPLATE_THEN_HOLD))
                .setStep(SendStep.HELD_ANSWER).setOutcomeReason(OutcomeReason.HELD_ANSWER_RELEASED).build());

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.HELD_ANSWER_RELEASED);
        assertThat(outcome.getStep()).isEqualTo(SendStep.HELD_ANSWER);
        assertThat(outcome.getFinal$()).isTrue();
    }

    @Test
    void shouldSayUnspecifiedForARequestDecidedBeforeItCarriedItsReason() {
        // Given a request the previous release decided (in flight during the upgrade): no outcomeReason
        provider.answer(request -> new Response(200, WAMID));
        SendRequest old = SendRequest.newBuilder(request(FallbackPolicy.SMS)).setOutcomeReason(OutcomeReason.UNSPECIFIED).build();

        // When it is sent
        DispatchOutcome outcome = sender.send(old);

        // Then it goes out as decided; its reason is not guessed
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.UNSPECIFIED);
        assertThat(outcome.getReason()).isEqualTo("UNSPECIFIED");
    }

    @Test
    void shouldCarryTheSmsProvidersErrorTitleAndTheAgentOnAFailedSms() {
        // Given an SMS the provider refuses with its code and message
        provider.answer(request -> new Response(400, """
                {"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400}"""));
        SendRequest sms = SendRequest.newBuilder(request(FallbackPolicy.SMS)).setChannel(Channel.SMS).build();

        // When it is sent
        DispatchOutcome outcome = sender.send(sms);

        // Then the outcome names the provider's code, its title and the agent whose reply it was
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.SMS_ERROR);
        assertThat(outcome.getErrorCode()).isEqualTo(21610);
        assertThat(outcome.getErrorTitle()).isEqualTo("Attempt to send to unsubscribed recipient");
        assertThat(outcome.getAgentId()).isEqualTo("agent-7");
    }

    @Test
    void shouldGiveNoErrorTitleWhenTheProviderSentNoErrorBody() {
        provider.answer(request -> new Response(500, ""));

        DispatchOutcome outcome = sender.send(request(FallbackPolicy.NONE));

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getErrorTitle()).isNull();
    }

    @Test
    void shouldReportProviderUnavailableWhenNothingAnswers() {
        provider.close();

        DispatchOutcome outcome = sender.send(request(FallbackPolicy.SMS));

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE);
    }

    static SendRequest request(FallbackPolicy policy) {
        return SendRequest.newBuilder()
                .setCommandId("cmd-1")
                .setTenantId("demo")
                .setConversationId("100000000000001:4915112345678")
                .setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP)
                .setRecipientPhone("4915112345678")
                .setText("Your parcel left today.")
                .setOutcomeReason(OutcomeReason.WINDOW_OPEN)
                .setAgentId("agent-7")
                .setExplanation(DecisionExplanation.newBuilder()
                        .setWindowState(WindowState.OPEN)
                        .setWindowExpiresAt(NOW.plus(Duration.ofHours(2)))
                        .setTimeLeftMillis(Duration.ofHours(2).toMillis())
                        .setPolicy(policy)
                        .setSessionVersion(3L)
                        .setFallbackChain(List.of())
                        .setAlternatives(List.of())
                        .build())
                .setDecidedAt(NOW)
                .build();
    }
}
