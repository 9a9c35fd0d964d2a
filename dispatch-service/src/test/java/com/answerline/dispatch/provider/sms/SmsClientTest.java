package com.answerline.dispatch.provider.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import com.answerline.avro.SendStep;
import com.answerline.schemas.send.SendReference;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;

public class SmsClientTest {

    static final String SID = "AC00000000000000000000000000000000";
    static final String BODY = "Your parcel left today.\n\nReply on WhatsApp to continue: "
            + "https://wa.me/15550000001?text=Hi%2C%20I%27d%20like%20to%20continue";

    RecordingHttpServer provider;
    SmsClient client;

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
        client = new SmsClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), SID,
                "local-dev-twilio-auth-token", "http://127.0.0.1:8081/webhooks/sms/status");
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void shouldPostTwiliosFormWithBasicAuthAndAnswerTheMessageSid() {
        provider.answer(request -> new Response(201, """
                {"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","to":"+4915112345678"}"""));

        String sid = client.send("+4915112345678", "+15550000001", BODY).block(Duration.ofSeconds(5));

        assertThat(sid).isEqualTo("SM0123456789abcdef0123456789abcdef");
        RecordingHttpServer.Request request = provider.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
        assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((SID + ":local-dev-twilio-auth-token").getBytes(StandardCharsets.UTF_8)));
        assertThat(form(request.body())).containsExactly(
                Map.entry("To", "+4915112345678"),
                Map.entry("From", "+15550000001"),
                Map.entry("Body", BODY),
                Map.entry("StatusCallback", "http://127.0.0.1:8081/webhooks/sms/status"));
    }

    @Test
    void shouldParseTwiliosErrorShape() {
        provider.answer(request -> new Response(400, """
                {"code":21211,"message":"The 'To' number +49 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}"""));

        assertThatThrownBy(() -> client.send("+49", "+15550000001", "Hi").block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(SmsApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(21211);
                    assertThat(e.httpStatus()).isEqualTo(400);
                });
    }

    @Test
    void shouldWriteNumbersInE164() {
        assertThat(SmsClient.e164("15550000001")).isEqualTo("+15550000001");
        assertThat(SmsClient.e164("+49 151 1234-5678")).isEqualTo("+4915112345678");
    }

    @Test
    void shouldNameTheSendInTheQueryOfItsStatusCallback() {
        // Given Twilio takes the message
        provider.answer(request -> new Response(201, """
                {"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}"""));
        SendReference reference = SendReference.of("100000000000001:4915112345678", "cmd|1", SendStep.FAILOVER).orElseThrow();

        // When an SMS is sent with its reference
        client.send("+4915112345678", "+15550000001", BODY, reference).block(Duration.ofSeconds(5));

        // Then its StatusCallback is the configured URL with the reference as ref=, which Twilio posts to (and signs) as is
        String callback = form(provider.requests().get(0).body()).get("StatusCallback");
        assertThat(callback).isEqualTo("http://127.0.0.1:8081/webhooks/sms/status?ref="
                + "al1%7C100000000000001%3A4915112345678%7Ccmd%257C1%7CFAILOVER");
        assertThat(SendReference.parse(URLDecoder.decode(callback.substring(callback.indexOf("ref=") + 4),
                StandardCharsets.UTF_8))).contains(reference);
    }

    @Test
    void shouldAppendTheReferenceToAStatusCallbackThatHasAQueryAlready() {
        SendReference reference = SendReference.of("100000000000001:4915112345678", "cmd-1", SendStep.REPLY).orElseThrow();

        assertThat(SmsClient.statusCallback("https://example.com/status?env=prod", reference))
                .isEqualTo("https://example.com/status?env=prod&ref=al1%7C100000000000001%3A4915112345678%7Ccmd-1%7CREPLY");
        assertThat(SmsClient.statusCallback("https://example.com/status", null)).isEqualTo("https://example.com/status");
    }

    public static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }
}
