package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DirectSendAccessEntry;
import com.answerline.avro.DirectSendAccessState;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.TemplateCheck;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;

/**
 * Direct Send through the sender: the Cloud API payload with its TTL, and the two refusals (100, 139200) recorded for
 * every instance and continued down the chain once, with the provider as a recorded HTTP server.
 */
class ReplySenderDirectSendTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String WAMID = "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.DS\"}]}";
    static final String SMS_SID = "{\"sid\":\"SM42\",\"status\":\"queued\"}";
    static final String NOT_ENABLED = """
            {"error":{"message":"(#100) Direct Send isn't enabled for this account","type":"OAuthException","code":100}}""";
    static final String BLOCKED = """
            {"error":{"message":"(#139200) Direct Send utility or authentication access is blocked","type":"OAuthException","code":139200}}""";

    RecordingHttpServer provider;
    MutableClock clock;
    List<DirectSendAccessEntry> written;
    DirectSendRefusals refusals;
    SimpleMeterRegistry meters;
    TemplateCheck templates;

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
        clock = new MutableClock(NOW);
        written = new CopyOnWriteArrayList<>();
        refusals = new DirectSendRefusals(number -> Duration.ofHours(24), written::add);
        meters = new SimpleMeterRegistry();
        templates = TemplateCheck.UNCHECKED;
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void shouldSendTheUtilityTextThroughDirectSendWithTheTtlOfItsValidity() {
        // Given WhatsApp accepts, and the reply was decided 3 minutes ago (demo's reply validity: 15 minutes)
        provider.answer(request -> new Response(200, WAMID));
        clock.set(NOW.plus(Duration.ofMinutes(3)));

        // When the Direct Send reply is sent
        DispatchOutcome outcome = sender().send(directSend("4915112345678", null));

        // Then it went as Direct Send with category utility and a TTL of the 12 minutes left
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_DIRECT_SEND);
        assertThat(outcome.getProviderMessageId()).isEqualTo("wamid.DS");
        assertThat(provider.requests()).singleElement().satisfies(request -> assertThat(request.body())
                .contains("\"category\":\"utility\"", "\"ttl\":720", "\"biz_opaque_callback_data\":\"al1|"));
        assertThat(count("sent")).isEqualTo(1.0);
        assertThat(written).isEmpty();
    }

    @Test
    void shouldRecordRefusal100AndContinueTheSameReplyAsOneSmsWithTheLink() {
        // Given the business number is not enabled for Direct Send, and the SMS provider accepts
        provider.answer(request -> request.path().endsWith("/messages") ? new Response(400, NOT_ENABLED)
                : new Response(201, SMS_SID));

        // When the Direct Send reply is sent
        DispatchOutcome outcome = sender().send(directSend("4915112345678", null));

        // Then one refused call, one SMS with the agent's text and the link, and the chain says why
        assertThat(provider.requests()).hasSize(2);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.SMS);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.DIRECT_SEND_REFUSED_SMS_FALLBACK);
        assertThat(outcome.getRenderedText()).startsWith("Your refund was paid today.").contains("https://wa.me/15550000001");
        assertThat(outcome.getExplanation().getFallbackChain())
                .containsExactly("AUTO->DIRECT_SEND", "DIRECT_SEND refused: 100 not enabled", "SMS");
        // And the number is refused for every instance until its re-check time
        assertThat(written).singleElement().satisfies(entry -> {
            assertThat(entry.getState()).isEqualTo(DirectSendAccessState.REFUSED);
            assertThat(entry.getErrorCode()).isEqualTo(100);
            assertThat(entry.getPhoneNumberId()).isEqualTo("100000000000001");
            assertThat(entry.getChangedBy()).isEqualTo("cmd-ds");
        });
        assertThat(refusals.refusal("100000000000001", NOW)).hasValueSatisfying(refusal -> {
            assertThat(refusal.code()).isEqualTo(100);
            assertThat(refusal.recheckAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        });
        assertThat(count("not_enabled")).isEqualTo(1.0);
    }

    @Test
    void shouldRecordRefusal139200AndSendTheTemplateToAUsernameOnlyCustomer() {
        // Given Direct Send access is blocked, and the customer is known by BSUID only (no SMS possible)
        provider.answer(request -> request.body().contains("\"type\":\"template\"") ? new Response(200, WAMID)
                : new Response(400, BLOCKED));

        // When the Direct Send reply is sent
        DispatchOutcome outcome = sender().send(directSend(null, "US.13491208655302741918"));

        // Then the tenant's template went instead, once, after the one refused call
        assertThat(provider.requests()).hasSize(2);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.DIRECT_SEND_REFUSED_TEMPLATE_FALLBACK);
        assertThat(outcome.getExplanation().getFallbackChain()).containsExactly("AUTO->DIRECT_SEND",
                "DIRECT_SEND refused: 139200 access blocked", "SMS unavailable: no customer phone", "TEMPLATE");
        assertThat(refusals.refusal("100000000000001", NOW)).hasValueSatisfying(refusal ->
                assertThat(refusal.blocked()).isTrue());
        assertThat(count("blocked")).isEqualTo(1.0);
    }

    @Test
    void shouldRejectDirectSendRefusedWhenNeitherTheSmsNorTheTemplateCanGo() {
        // Given the refusal, no phone, and a template the catalogue does not approve
        provider.answer(request -> new Response(400, NOT_ENABLED));
        templates = (tenant, template) -> TemplateCheck.Verdict.rejected(OutcomeReason.TEMPLATE_NOT_APPROVED,
                "template customer_care_reopen/en_US: PAUSED");

        // When the Direct Send reply is sent
        DispatchOutcome outcome = sender().send(directSend(null, "US.13491208655302741918"));

        // Then nothing else was sent: REJECTED DIRECT_SEND_REFUSED with the code, final
        assertThat(provider.requests()).hasSize(1);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.DIRECT_SEND_REFUSED);
        assertThat(outcome.getErrorCode()).isEqualTo(100);
        assertThat(outcome.getErrorTitle()).isEqualTo("Direct Send isn't enabled for this account");
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(outcome.getExplanation().getFallbackChain()).containsExactly("AUTO->DIRECT_SEND",
                "DIRECT_SEND refused: 100 not enabled", "SMS unavailable: no customer phone", "TEMPLATE",
                "template customer_care_reopen/en_US: PAUSED");
    }

    @Test
    void shouldNotRecordARefusalForAnotherErrorOfADirectSendMessage() {
        // Given WhatsApp refuses the message for another reason
        provider.answer(request -> new Response(400, """
                {"error":{"message":"(#131049) Not delivered","type":"OAuthException","code":131049}}"""));

        // When the Direct Send reply is sent
        DispatchOutcome outcome = sender().send(directSend("4915112345678", null));

        // Then it failed with the code, and the number may still use Direct Send
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getErrorCode()).isEqualTo(131049);
        assertThat(provider.requests()).hasSize(1);
        assertThat(refusals.refusal("100000000000001", NOW)).isEmpty();
        assertThat(count("failed")).isEqualTo(1.0);
    }

    private ReplySender sender() {
        return new ReplySender(
                new WhatsAppClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "v23.0", "t"),
                new SmsClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "AC0", "s",
                        "http://127.0.0.1:8081/webhooks/sms/status"),
                new ChannelDecider(clock, Duration.ofSeconds(60), templates), ProductionConfig.tenants()::rules, clock,
                Duration.ofSeconds(5), refusals, new DirectSendMetrics(meters));
    }

    private double count(String result) {
        return meters.get(DirectSendMetrics.RESULTS).tag("result", result).counter().count();
    }

    /** A reply decided as Direct Send (window closed a day ago, AUTO with the tenant policy DIRECT_SEND). */
    static SendRequest directSend(String phone, String bsuid) {
        return SendRequest.newBuilder()
                .setCommandId("cmd-ds")
                .setTenantId("demo")
                .setConversationId("100000000000001:" + (phone != null ? phone : bsuid))
                .setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP_DIRECT_SEND)
                .setRecipientPhone(phone)
                .setRecipientBsuid(bsuid)
                .setText("Your refund was paid today.")
                .setOutcomeReason(OutcomeReason.WINDOW_CLOSED_DIRECT_SEND)
                .setAgentId("agent-7")
                .setExplanation(DecisionExplanation.newBuilder()
                        .setWindowState(WindowState.CLOSED)
                        .setWindowExpiresAt(NOW.minus(Duration.ofHours(1)))
                        .setTimeLeftMillis(0L)
                        .setPolicy(FallbackPolicy.DIRECT_SEND)
                        .setSessionVersion(3L)
                        .setFallbackChain(List.of("AUTO->DIRECT_SEND"))
                        .setAlternatives(List.of())
                        .build())
                .setDecidedAt(NOW)
                .build();
    }
}
