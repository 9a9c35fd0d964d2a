package com.answerline.dispatch.provider.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.answerline.avro.SendStep;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;
import com.answerline.dispatch.provider.ProviderErrorKind;
import com.answerline.dispatch.provider.ProviderErrors;
import com.answerline.schemas.send.SendReference;

class WhatsAppClientTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ACCEPTED = """
            {"messaging_product":"whatsapp","contacts":[{"input":"4915112345678","wa_id":"4915112345678"}],
             "messages":[{"id":"wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjdBM0"}]}""";

    RecordingHttpServer provider;
    WhatsAppClient client;

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
        client = new WhatsAppClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "v23.0",
                "local-dev-whatsapp-token");
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void shouldPostTheTextBodyOfTheCloudApiWithTheBearerTokenAndAnswerTheWamid() {
        provider.answer(request -> new Response(200, ACCEPTED));

        String wamid = client.sendText("100000000000001", "4915112345678", "Your parcel left today.").block(Duration.ofSeconds(5));

        assertThat(wamid).isEqualTo("wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjdBM0");
        RecordingHttpServer.Request request = provider.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v23.0/100000000000001/messages");
        assertThat(request.header("Authorization")).isEqualTo("Bearer local-dev-whatsapp-token");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(json(request.body())).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915112345678","type":"text",
                 "text":{"preview_url":true,"body":"Your parcel left today."}}"""));
        assertThat(request.body()).as("field order of Meta's reference")
                .startsWith("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":");
    }

    @Test
    void shouldPostTheTemplateBodyWithItsBodyParameters() {
        provider.answer(request -> new Response(200, ACCEPTED));

        client.sendTemplate("100000000000001", "4915112345678", "customer_care_reopen", "en_US", List.of("Ada", "Grace"))
                .block(Duration.ofSeconds(5));

        assertThat(json(provider.requests().get(0).body())).isEqualTo(json("""
                {"messaging_product":"whatsapp","to":"4915112345678","type":"template",
                 "template":{"name":"customer_care_reopen","language":{"code":"en_US"},
                   "components":[{"type":"body","parameters":[{"type":"text","text":"Ada"},{"type":"text","text":"Grace"}]}]}}"""));
    }

    @Test
    void shouldNameTheSendInBizOpaqueCallbackDataOfTextsAndTemplates() {
        provider.answer(request -> new Response(200, ACCEPTED));
        SendReference reference = SendReference.of("100000000000001:US.13491208655302741918", "cmd-1", SendStep.REPLY)
                .orElseThrow();

        client.sendText("100000000000001", "US.13491208655302741918", "Hi", reference).block(Duration.ofSeconds(5));
        client.sendTemplate("100000000000001", "US.13491208655302741918", "hello_world", "en_US", List.of(), reference)
                .block(Duration.ofSeconds(5));

        assertThat(provider.requests()).extracting(r -> json(r.body()).path("biz_opaque_callback_data").asString())
                .containsExactly("al1|100000000000001:US.13491208655302741918|cmd-1|REPLY",
                        "al1|100000000000001:US.13491208655302741918|cmd-1|REPLY");
    }

    @Test
    void shouldPostADirectSendTextWithCategoryUtilityItsTtlAndItsReference() {
        // Given a provider that accepts
        provider.answer(request -> new Response(200, ACCEPTED));
        SendReference reference = SendReference.of("100000000000001:4915112345678", "cmd-2", SendStep.REPLY).orElseThrow();

        // When a Direct Send text valid 15 minutes goes out
        client.sendDirectSend("100000000000001", "4915112345678", "Your refund was paid today.", Duration.ofMinutes(15),
                reference).block(Duration.ofSeconds(5));

        // Then it is the text payload plus category utility and the TTL in seconds, named like every send
        assertThat(json(provider.requests().get(0).body())).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915112345678","type":"text",
                 "category":"utility","ttl":900,"text":{"preview_url":true,"body":"Your refund was paid today."},
                 "biz_opaque_callback_data":"al1|100000000000001:4915112345678|cmd-2|REPLY"}"""));
    }

    @Test
    void shouldKeepADirectSendTtlWithinThirtySecondsAndTwelveHours() {
        // Given validities below, inside and above what WhatsApp accepts
        // When / Then: whole seconds, clamped to 30 s..12 h
        assertThat(WhatsAppClient.directSendTtl(Duration.ofSeconds(-5))).isEqualTo(Duration.ofSeconds(30));
        assertThat(WhatsAppClient.directSendTtl(Duration.ofMillis(29_999))).isEqualTo(Duration.ofSeconds(30));
        assertThat(WhatsAppClient.directSendTtl(Duration.ofMillis(90_700))).isEqualTo(Duration.ofSeconds(90));
        assertThat(WhatsAppClient.directSendTtl(Duration.ofHours(12))).isEqualTo(Duration.ofHours(12));
        assertThat(WhatsAppClient.directSendTtl(Duration.ofDays(2))).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void shouldParseTheDirectSendRefusals100And139200AsPermanentRefusals() {
        // Given WhatsApp refusing Direct Send: not enabled, then access blocked
        provider.answer(request -> request.body().contains("first") ? new Response(400, """
                {"error":{"message":"(#100) Direct Send isn't enabled for this account","type":"OAuthException","code":100,"fbtrace_id":"A"}}""")
                : new Response(400, """
                {"error":{"message":"(#139200) Direct Send utility or authentication access is blocked","type":"OAuthException","code":139200,"fbtrace_id":"B"}}"""));

        // When / Then: each is its code with its title, never retried, parked or counted against the breaker
        for (String text : List.of("first", "second")) {
            assertThatThrownBy(() -> client.sendDirectSend("100000000000001", "4915112345678", text, Duration.ofMinutes(1), null)
                    .block(Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(WhatsAppApiException.class, e -> {
                        assertThat(e.code()).isIn(100, 139200);
                        assertThat(e.title()).startsWith("Direct Send");
                        assertThat(ProviderErrors.classify(e)).isEqualTo(ProviderErrorKind.PERMANENT);
                        assertThat(ProviderErrors.unavailable(e)).isFalse();
                    });
        }
        assertThat(ProviderErrors.whatsApp(500, 139200)).as("whatever the HTTP status").isEqualTo(ProviderErrorKind.PERMANENT);
        assertThat(provider.requests()).hasSize(2);
    }

    @Test
    void shouldLeaveComponentsOutOfATemplateWithoutParameters() {
        provider.answer(request -> new Response(200, ACCEPTED));

        client.sendTemplate("100000000000001", "US.13491208655302741918", "hello_world", "en_US", List.of())
                .block(Duration.ofSeconds(5));

        assertThat(json(provider.requests().get(0).body())).isEqualTo(json("""
                {"messaging_product":"whatsapp","to":"US.13491208655302741918","type":"template",
                 "template":{"name":"hello_world","language":{"code":"en_US"}}}"""));
    }

    @Test
    void shouldParseTheWindowClosedError131047FromMetasErrorShape() {
        provider.answer(request -> new Response(400, """
                {"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,
                  "error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
                  "fbtrace_id":"AbCdEf123"}}"""));

        assertThatThrownBy(() -> client.sendText("100000000000001", "4915112345678", "Hi").block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(WhatsAppApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(WhatsAppApiException.WINDOW_CLOSED);
                    assertThat(e.windowClosed()).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("OAuthException");
                    assertThat(e.details()).startsWith("Message failed to send because more than 24 hours");
                    assertThat(e.fbtraceId()).isEqualTo("AbCdEf123");
                });
    }

    @Test
    void shouldParseTheThroughputLimit130429OnHttp429() {
        provider.answer(request -> new Response(429, """
                {"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"fbtrace_id":"X"}}"""));

        assertThatThrownBy(() -> client.sendText("100000000000001", "4915112345678", "Hi").block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(WhatsAppApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(WhatsAppApiException.THROUGHPUT_LIMIT);
                    assertThat(e.httpStatus()).isEqualTo(429);
                    assertThat(e.windowClosed()).isFalse();
                });
    }

    @Test
    void shouldReportAnErrorWithoutMetaBodyByItsHttpStatus() {
        provider.answer(request -> new Response(503, "<html>upstream down</html>"));

        assertThatThrownBy(() -> client.sendText("100000000000001", "4915112345678", "Hi").block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(WhatsAppApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(WhatsAppApiException.NO_CODE);
                    assertThat(e.httpStatus()).isEqualTo(503);
                });
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
