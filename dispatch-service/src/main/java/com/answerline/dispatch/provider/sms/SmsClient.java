package com.answerline.dispatch.provider.sms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import java.time.Clock;
import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import reactor.core.publisher.Mono;

import com.answerline.dispatch.provider.ProviderGuard;
import com.answerline.schemas.send.SendReference;
import com.answerline.dispatch.provider.RetryAfter;

/**
 * SMS client in Twilio's shape: {@code POST {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json}, form
 * fields To, From, Body, StatusCallback, basic auth. Answers the message sid (SM...). Non-blocking; timeouts in
 * the connector; {@link #send} goes through the {@link ProviderGuard}: the SMS provider's circuit breaker and the
 * retry of transient errors (no per-number rate limit: WhatsApp's throughput rule does not apply to SMS).
 */
public class SmsClient {

    private final WebClient web;
    private final String accountSid;
    private final String statusCallbackUrl;
    private final ProviderGuard guard;

    /** Without resilience: one attempt per message ({@link ProviderGuard#passThrough}). */
    public SmsClient(WebClient.Builder builder, ClientHttpConnector connector, String baseUrl, String accountSid,
                     String authToken, String statusCallbackUrl) {
        this(builder, connector, baseUrl, accountSid, authToken, statusCallbackUrl, ProviderGuard.passThrough("sms"));
    }

    public SmsClient(WebClient.Builder builder, ClientHttpConnector connector, String baseUrl, String accountSid,
                     String authToken, String statusCallbackUrl, ProviderGuard guard) {
        this.guard = guard;
        this.web = builder.clone()
                .clientConnector(connector)
                .baseUrl(baseUrl)
                .defaultHeaders(headers -> headers.setBasicAuth(accountSid, authToken))
                .build();
        this.accountSid = accountSid;
        this.statusCallbackUrl = statusCallbackUrl;
    }

    /**
     * @param to   recipient in E.164 (+ and digits)
     * @param from sender in E.164 (the tenant's display number)
     */
    public Mono<String> send(String to, String from, String body) {
        return send(to, from, body, null);
    }

    /**
     * An SMS named by {@code reference}: its {@code StatusCallback} is the configured URL with the reference in the
     * {@value SendReference#QUERY_PARAMETER} query parameter ({@link #statusCallback}), so every status callback of the
     * message names its send (null: the URL as configured).
     */
    public Mono<String> send(String to, String from, String body, SendReference reference) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("To", to);
        form.add("From", from);
        form.add("Body", body);
        form.add("StatusCallback", statusCallback(statusCallbackUrl, reference));
        return guard.guard(null, web.post()
                .uri("/2010-04-01/Accounts/{accountSid}/Messages.json", accountSid)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData(form))
                .exchangeToMono(SmsClient::sid));
    }

    /**
     * The status callback URL of one send: the configured one, plus {@code ref=<reference>} (URL-encoded) after its own
     * query, if any. Twilio posts to this URL as given and signs it whole, query included.
     */
    static String statusCallback(String configured, SendReference reference) {
        if (reference == null) {
            return configured;
        }
        return configured + (configured.contains("?") ? "&" : "?") + SendReference.QUERY_PARAMETER + "="
                + URLEncoder.encode(reference.encode(), StandardCharsets.UTF_8);
    }

    /** False while the provider's circuit breaker refuses calls (see {@link ProviderGuard#permitsCalls}). */
    public boolean permitsCalls() {
        return guard.permitsCalls();
    }

    /** Digits (with or without +) to E.164. */
    public static String e164(String number) {
        return "+" + number.replaceAll("\\D", "");
    }

    private static Mono<String> sid(ClientResponse response) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(Created.class)
                    .flatMap(created -> created.sid() == null
                            ? Mono.error(new SmsApiException(status, SmsApiException.NO_CODE, "accepted without a sid"))
                            : Mono.just(created.sid()));
        }
        Duration retryAfter = RetryAfter.parse(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                Clock.systemUTC());
        return response.bodyToMono(Problem.class)
                .onErrorResume(unreadable -> Mono.empty())
                .map(problem -> SmsApiException.fromErrorBody(status,
                        problem.code() == null ? SmsApiException.NO_CODE : problem.code(), problem.message()))
                .defaultIfEmpty(new SmsApiException(status, SmsApiException.NO_CODE, "no error body"))
                .flatMap(refusal -> Mono.<String>error(refusal.retryAfter(retryAfter)));
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Created(String sid, String status) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Problem(Integer code, String message) {
    }
}
