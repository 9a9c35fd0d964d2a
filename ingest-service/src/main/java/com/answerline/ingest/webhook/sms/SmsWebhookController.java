package com.answerline.ingest.webhook.sms;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import com.answerline.ingest.config.IngestProperties;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.ingest.identity.CustomerResolver;
import com.answerline.ingest.identity.IdentityDirectory;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.ingest.webhook.UnroutedWebhooks;
import com.answerline.ingest.webhook.WebhookDeadLetters;
import com.answerline.schemas.topic.Topics;

/**
 * Twilio-shaped SMS webhooks: inbound messages and status callbacks. The signature is checked over the full URL
 * (query included: a status callback's names the send, see {@code SendReferences}) and every form parameter before
 * anything is read from them; the customer's number is resolved through the identity
 * directory (503 while it is not loaded: Twilio retries); success answers an empty TwiML document, once the
 * record and the customer's new identifiers are acknowledged by Kafka.
 */
@RestController
@RequestMapping("/webhooks/sms")
class SmsWebhookController {

    static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    private static final Logger log = LoggerFactory.getLogger(SmsWebhookController.class);

    private final TwilioSignatureVerifier signatures;
    private final SmsRecordMapper mapper;
    private final EventPublisher publisher;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String publicBaseUrl;
    private final IdentityDirectory identities;

    SmsWebhookController(IngestProperties properties, TwilioSignatureVerifier signatures, SmsRecordMapper mapper,
                         EventPublisher publisher, Clock clock, MeterRegistry meters, IdentityDirectory identities) {
        this.signatures = signatures;
        this.mapper = mapper;
        this.publisher = publisher;
        this.clock = clock;
        this.meters = meters;
        this.identities = identities;
        this.publicBaseUrl = properties.twilio().publicBaseUrl().toString().replaceAll("/+$", "");
    }

    @PostMapping(consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<ResponseEntity<String>> inbound(ServerWebExchange exchange) {
        return handle(exchange, "inbound", "To", (form, query, receivedAt, customers) -> mapper.inbound(form, receivedAt, customers));
    }

    @PostMapping(path = "/status", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<ResponseEntity<String>> status(ServerWebExchange exchange) {
        return handle(exchange, "status", "From", mapper::status);
    }

    /** @param businessField the form field naming the business number: "To" inbound, "From" on status callbacks */
    private Mono<ResponseEntity<String>> handle(ServerWebExchange exchange, String kind, String businessField,
            Mapping map) {
        ServerHttpRequest request = exchange.getRequest();
        String signature = request.getHeaders().getFirst(SIGNATURE_HEADER);
        // Spring's form reader throws IllegalArgumentException on a broken percent-escape ("%ZZ"): a bad request.
        return exchange.getFormData().onErrorMap(IllegalArgumentException.class,
                e -> new InvalidRequestException("body", "not a valid application/x-www-form-urlencoded form"))
                .flatMap(form -> {
            if (!signatures.verify(signedUrl(request), form, signature)) {
                meters.counter("ingest.webhook.signature.failures", "channel", "sms").increment();
                log.warn("SMS {} webhook refused: {} signature", kind, signature == null ? "missing" : "wrong");
                return Mono.just(ResponseEntity.status(HttpStatus.FORBIDDEN).<String>build());
            }
            Map<String, String> fields = firstValues(form);
            Instant receivedAt = clock.instant();
            CustomerResolver customers = identities.resolver();
            Optional<? extends OutgoingRecord<?>> record = map.apply(fields,
                    request.getQueryParams().toSingleValueMap(), receivedAt, customers);
            if (record.isEmpty()) {
                // 200 anyway (a number no tenant owns will not become routable by retrying), once the webhook
                // is kept on unrouted-webhooks. The business number is a phone number: not logged.
                meters.counter("ingest.webhook.unrouted", "channel", "sms").increment();
                log.warn("SMS {} webhook for a number no tenant owns, kept on {}", kind, Topics.UNROUTED_WEBHOOKS.name());
                return publisher.publish(List.of(UnroutedWebhooks.sms(request.getURI().getRawPath(),
                        BusinessNumber.digits(fields.get(businessField)), fields, signature, receivedAt)))
                        .thenReturn(twiml());
            }
            WebhookDeadLetters.count(meters, "sms", List.of(record.get()));
            List<OutgoingRecord<?>> records = new ArrayList<>();
            records.add(record.get());
            records.addAll(customers.records());
            return publisher.publish(records)
                    .then(Mono.fromRunnable(() -> identities.remember(customers)))
                    .thenReturn(twiml());
        });
    }

    /**
     * One of the mapper's two functions: inbound message or status callback. {@code query}: the URL's decoded query
     * parameters (a status callback's names the send), signed with the URL.
     */
    @FunctionalInterface
    private interface Mapping {
        Optional<? extends OutgoingRecord<?>> apply(Map<String, String> form, Map<String, String> query,
                                                    Instant receivedAt, CustomerResolver customers);
    }

    /** The URL Twilio signed: the public base URL it was configured with, plus path and query as received. */
    private String signedUrl(ServerHttpRequest request) {
        String query = request.getURI().getRawQuery();
        return publicBaseUrl + request.getURI().getRawPath() + (query == null ? "" : "?" + query);
    }

    private static Map<String, String> firstValues(MultiValueMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        form.forEach((name, list) -> values.put(name, list.isEmpty() ? null : list.get(0)));
        return values;
    }

    private static ResponseEntity<String> twiml() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_XML).body(EMPTY_TWIML);
    }
}
