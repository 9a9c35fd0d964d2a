package com.answerline.dispatch.provider.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Mono;

import com.answerline.dispatch.provider.ProviderGuard;
import com.answerline.schemas.send.SendReference;
import com.answerline.dispatch.provider.RetryAfter;
import com.answerline.dispatch.provider.whatsapp.WhatsAppPayloads.ErrorEnvelope;
import com.answerline.dispatch.provider.whatsapp.WhatsAppPayloads.SendResponse;

/**
 * WhatsApp Cloud API client: {@code POST {baseUrl}/{version}/{phone_number_id}/messages} with a bearer token.
 * Answers the wamid (accepted, not yet delivered) or fails with a {@link WhatsAppApiException} carrying Meta's
 * error code. Non-blocking; connect and read timeouts live in the connector. Every call goes through
 * {@link #post}, where the {@link ProviderGuard} applies the business number's rate limit, the provider's circuit
 * breaker and the retry of transient errors.
 */
public class WhatsAppClient {

    private final WebClient web;
    private final String apiVersion;
    private final ProviderGuard guard;

    /** Without resilience: one attempt per message ({@link ProviderGuard#passThrough}). */
    public WhatsAppClient(WebClient.Builder builder, ClientHttpConnector connector, String baseUrl, String apiVersion,
                          String token) {
        this(builder, connector, baseUrl, apiVersion, token, ProviderGuard.passThrough("whatsapp"));
    }

    public WhatsAppClient(WebClient.Builder builder, ClientHttpConnector connector, String baseUrl, String apiVersion,
                          String token, ProviderGuard guard) {
        this.guard = guard;
        this.web = cloudApi(builder, connector, baseUrl, token);
        this.apiVersion = apiVersion;
    }

    /** A WebClient for any Cloud API endpoint: base URL, bearer token, the caller's timeouts in the connector. */
    public static WebClient cloudApi(WebClient.Builder builder, ClientHttpConnector connector, String baseUrl, String token) {
        return builder.clone()
                .clientConnector(connector)
                .baseUrl(baseUrl)
                .defaultHeaders(headers -> headers.setBearerAuth(token))
                .build();
    }

    /** A free-form text; only inside the customer-service window. */
    public Mono<String> sendText(String phoneNumberId, String to, String body) {
        return sendText(phoneNumberId, to, body, null);
    }

    /**
     * A free-form text named by {@code reference}: WhatsApp echoes it as {@code biz_opaque_callback_data} in every
     * status of the message (null: none).
     */
    public Mono<String> sendText(String phoneNumberId, String to, String body, SendReference reference) {
        return post(phoneNumberId, WhatsAppPayloads.TextMessage.of(to, body, callbackData(reference)));
    }

    /**
     * A utility text through Direct Send, outside the window without a template: the text payload with
     * {@code "category":"utility"} and a time-to-live ({@link #directSendTtl}), named by {@code reference} as every send.
     * WhatsApp refuses it with 100 (Direct Send not enabled for the account) or 139200 (access blocked).
     */
    public Mono<String> sendDirectSend(String phoneNumberId, String to, String body, Duration ttl, SendReference reference) {
        return post(phoneNumberId, WhatsAppPayloads.TextMessage.directSend(to, body, directSendTtl(ttl).toSeconds(),
                callbackData(reference)));
    }

    /** Direct Send's shortest time-to-live (Cloud API: 30 s). */
    public static final Duration MIN_DIRECT_SEND_TTL = Duration.ofSeconds(30);
    /** Direct Send's longest time-to-live (Cloud API: 12 h); WhatsApp answers 100 outside 30 s..12 h. */
    public static final Duration MAX_DIRECT_SEND_TTL = Duration.ofHours(12);

    /**
     * The time-to-live WhatsApp accepts for a message valid {@code validity} from now: whole seconds, never below 30 s
     * (a send whose validity is almost over still gets the shortest one) nor above 12 h.
     */
    public static Duration directSendTtl(Duration validity) {
        Duration seconds = Duration.ofSeconds(validity == null ? 0 : validity.getSeconds());
        if (seconds.compareTo(MIN_DIRECT_SEND_TTL) < 0) {
            return MIN_DIRECT_SEND_TTL;
        }
        return seconds.compareTo(MAX_DIRECT_SEND_TTL) > 0 ? MAX_DIRECT_SEND_TTL : seconds;
    }

    /** An approved template with its body parameters, allowed inside and outside the window. */
    public Mono<String> sendTemplate(String phoneNumberId, String to, String name, String language, List<String> parameters) {
        return sendTemplate(phoneNumberId, to, name, language, parameters, null);
    }

    /** A template named by {@code reference}, as {@link #sendText(String, String, String, SendReference)}. */
    public Mono<String> sendTemplate(String phoneNumberId, String to, String name, String language, List<String> parameters,
                                     SendReference reference) {
        return post(phoneNumberId, WhatsAppPayloads.TemplateMessage.of(to, name, language, parameters,
                callbackData(reference)));
    }

    private static String callbackData(SendReference reference) {
        return reference == null ? null : reference.encode();
    }

    /** False while the provider's circuit breaker refuses calls (see {@link ProviderGuard#permitsCalls}). */
    public boolean permitsCalls() {
        return guard.permitsCalls();
    }

    private Mono<String> post(String phoneNumberId, Object message) {
        return guard.guard(phoneNumberId, web.post()
                .uri("/{version}/{phoneNumberId}/messages", apiVersion, phoneNumberId)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(message)
                .exchangeToMono(this::wamid));
    }

    private Mono<String> wamid(ClientResponse response) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(SendResponse.class)
                    .flatMap(body -> body.messages() == null || body.messages().isEmpty() || body.messages().get(0).id() == null
                            ? Mono.error(new WhatsAppApiException(response.statusCode().value(), WhatsAppApiException.NO_CODE,
                                    null, "accepted without a message id", null, null))
                            : Mono.just(body.messages().get(0).id()));
        }
        int status = response.statusCode().value();
        Duration retryAfter = RetryAfter.parse(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                Clock.systemUTC());
        return response.bodyToMono(ErrorEnvelope.class)
                .onErrorResume(unreadable -> Mono.empty())
                .defaultIfEmpty(new ErrorEnvelope(null))
                .flatMap(envelope -> Mono.error(toException(status, envelope).retryAfter(retryAfter)));
    }

    private static WhatsAppApiException toException(int status, ErrorEnvelope envelope) {
        WhatsAppPayloads.Error error = envelope.error();
        if (error == null) {
            return new WhatsAppApiException(status, WhatsAppApiException.NO_CODE, null, "no error body", null, null);
        }
        return WhatsAppApiException.fromErrorBody(status, error.code() == null ? WhatsAppApiException.NO_CODE : error.code(),
                error.type(), error.message(), error.errorData() == null ? null : error.errorData().details(),
                error.fbtraceId());
    }
}
