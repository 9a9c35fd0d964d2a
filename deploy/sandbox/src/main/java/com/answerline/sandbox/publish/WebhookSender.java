package com.answerline.sandbox.publish;

import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.sms.TwilioSignature;
import com.answerline.sandbox.whatsapp.HubSignature;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers what the providers would push: signed Meta webhooks to ingest, Twilio webhooks and
 * status callbacks. Background deliveries never fail the call that caused them; their failures are
 * logged at WARN, with URLs and statuses but never phone numbers or text.
 */
@Component
public class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final WebClient webClient;
    private final JsonMapper jsonMapper;
    private final SandboxProperties properties;

    public WebhookSender(WebClient sandboxWebClient, JsonMapper jsonMapper, SandboxProperties properties) {
        this.webClient = sandboxWebClient;
        this.jsonMapper = jsonMapper;
        this.properties = properties;
    }

    /** POSTs a Meta webhook to ingest, signed with the app secret; emits ingest's HTTP status. */
    public Mono<Integer> postMetaWebhook(Map<String, Object> payload) {
        byte[] body = jsonMapper.writeValueAsBytes(payload);
        return webClient.post()
                .uri(properties.ingest().whatsappWebhookUrl())
                .contentType(MediaType.APPLICATION_JSON)
                .header(HubSignature.HEADER, HubSignature.sign(body, properties.whatsapp().appSecret()))
                .bodyValue(body)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .timeout(properties.ingest().timeout());
    }

    /** POSTs a Twilio-style form, signed with X-Twilio-Signature over this URL; emits the HTTP status. */
    public Mono<Integer> postTwilioForm(URI url, Map<String, String> params) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        params.forEach(form::add);
        String signature = TwilioSignature.sign(url.toString(), form, properties.sms().authToken());
        return webClient.post()
                .uri(url)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header(TwilioSignature.HEADER, signature)
                .body(BodyInserters.fromFormData(form))
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .timeout(properties.ingest().timeout());
    }

    /**
     * As Meta delivers its webhooks (DOMAIN.md: failed webhooks are redelivered with backoff, for days):
     * {@code delivery} tried again while it fails or is answered other than 2xx, {@link #FIRST_REDELIVERY} after the
     * first try, the waits doubling (with jitter) to at most {@link #MAX_REDELIVERY_WAIT}, until
     * {@code sandbox.ingest.redeliver-for} has passed since the first try (zero: one try). A status that reaches ingest
     * only after an outage is what settles a send whose answer was lost.
     */
    public Mono<Integer> redeliveredLikeMeta(Mono<Integer> delivery) {
        return redelivered(delivery, properties.ingest().redeliverFor(), FIRST_REDELIVERY, MAX_REDELIVERY_WAIT);
    }

    static final Duration FIRST_REDELIVERY = Duration.ofSeconds(1);
    static final Duration MAX_REDELIVERY_WAIT = Duration.ofSeconds(30);

    static Mono<Integer> redelivered(Mono<Integer> delivery, Duration window, Duration first, Duration maxWait) {
        if (window.isZero() || window.isNegative()) {
            return delivery;
        }
        return Mono.defer(() -> {
            long giveUpAt = System.nanoTime() + window.toNanos();
            return delivery.flatMap(status -> status >= 200 && status < 300 ? Mono.just(status)
                            : Mono.<Integer>error(new NotAccepted(status)))
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, first).maxBackoff(maxWait)
                            .filter(e -> System.nanoTime() < giveUpAt)
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
        });
    }

    /** A delivery answered other than 2xx, as an error so that it is redelivered. */
    static final class NotAccepted extends RuntimeException {
        NotAccepted(int status) {
            super("answered HTTP " + status, null, false, false);
        }
    }

    /**
     * Runs deliveries one after another in the background, each after {@code delay}; a failed one
     * is logged and the next still goes.
     */
    public void inBackground(String what, Duration delay, List<Mono<Integer>> deliveries) {
        Flux.fromIterable(deliveries)
                .concatMap(delivery -> Mono.delay(delay)
                        .then(delivery)
                        .doOnNext(status -> {
                            if (status >= 300) {
                                log.warn("{} answered HTTP {}", what, status);
                            }
                        })
                        .onErrorResume(e -> {
                            log.warn("{} failed: {}", what, e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }
}
