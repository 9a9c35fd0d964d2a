package com.answerline.ingest.webhook.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import com.answerline.ingest.config.IngestProperties;
import com.answerline.ingest.http.ProblemAdvice;
import com.answerline.ingest.http.RawBody;
import com.answerline.ingest.identity.CustomerResolver;
import com.answerline.ingest.identity.IdentityDirectory;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.webhook.UnroutedWebhooks;
import com.answerline.ingest.webhook.WebhookDeadLetters;
import com.answerline.schemas.topic.Topics;

/**
 * Meta's Cloud API webhook. Order matters: size limit, then signature on the raw bytes, then parsing, then
 * resolving customers to conversations through the identity directory (503 while it is not loaded: Meta
 * retries), then publishing; 200 only once Kafka acknowledged every record of the POST, the customers' new
 * identifiers among them.
 *
 * <p>Meta delivers at least once: a redelivered wamid is expected and answered 200 like the first delivery. It
 * is published again with the same key and message id, and removed downstream (see WhatsAppRecordMapper:
 * session-service's seen-events store drops it; dispatch never acts on inbound messages).
 */
@RestController
@RequestMapping("/webhooks/whatsapp")
class WhatsAppWebhookController {

    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final Logger log = LoggerFactory.getLogger(WhatsAppWebhookController.class);

    private final IngestProperties properties;
    private final WhatsAppSignatureVerifier signatures;
    private final WhatsAppPayloadParser parser;
    private final WhatsAppRecordMapper mapper;
    private final EventPublisher publisher;
    private final Clock clock;
    private final MeterRegistry meters;
    private final WhatsAppValueErrors valueErrors;
    private final IdentityDirectory identities;

    WhatsAppWebhookController(IngestProperties properties, WhatsAppSignatureVerifier signatures,
                              WhatsAppPayloadParser parser, WhatsAppRecordMapper mapper, EventPublisher publisher,
                              Clock clock, MeterRegistry meters, IdentityDirectory identities) {
        this.properties = properties;
        this.signatures = signatures;
        this.parser = parser;
        this.mapper = mapper;
        this.publisher = publisher;
        this.clock = clock;
        this.meters = meters;
        this.valueErrors = new WhatsAppValueErrors(meters);
        this.identities = identities;
    }

    /** Subscription handshake: echo the challenge when the verify token matches. */
    @GetMapping
    ResponseEntity<String> verify(@RequestParam(name = "hub.mode", required = false) String mode,
                                  @RequestParam(name = "hub.verify_token", required = false) String token,
                                  @RequestParam(name = "hub.challenge", required = false) String challenge) {
        byte[] expected = properties.whatsapp().verifyToken().getBytes(StandardCharsets.UTF_8);
        boolean tokenMatches = token != null && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
        if ("subscribe".equals(mode) && tokenMatches && challenge != null) {
            // text/plain, so an echoed challenge can never be interpreted as markup.
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(challenge);
        }
        return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
    }

    @PostMapping
    Mono<ResponseEntity<?>> receive(ServerHttpRequest request) {
        String signature = request.getHeaders().getFirst(SIGNATURE_HEADER);
        return RawBody.read(request, properties.webhook().maxBodySize())
                .flatMap(body -> {
                    if (!signatures.verify(body, signature)) {
                        meters.counter("ingest.webhook.signature.failures", "channel", "whatsapp").increment();
                        log.warn("WhatsApp webhook refused: {} signature", signature == null ? "missing" : "wrong");
                        return Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ProblemAdvice.problem(
                                HttpStatus.UNAUTHORIZED, "Signature check failed",
                                SIGNATURE_HEADER + " is missing or does not match the body", "bad-signature")));
                    }
                    WhatsAppNotification notification = parser.parse(body);
                    Instant receivedAt = clock.instant();
                    CustomerResolver customers = identities.resolver();
                    WhatsAppRecordMapper.Mapped mapped = mapper.map(notification, receivedAt, customers);
                    valueErrors.report(notification);
                    WebhookDeadLetters.count(meters, "whatsapp", mapped.records());
                    List<OutgoingRecord<?>> records = new ArrayList<>(mapped.records());
                    records.addAll(customers.records());
                    if (mapped.unroutedChanges() > 0) {
                        // 200 anyway (Meta would otherwise retry for days a payload no retry can route), but only
                        // once the raw body is on unrouted-webhooks, acknowledged with the routed records.
                        meters.counter("ingest.webhook.unrouted", "channel", "whatsapp").increment(mapped.unroutedChanges());
                        log.warn("WhatsApp webhook: {} change(s) that belong to no tenant ({}), kept on {}",
                                mapped.unroutedChanges(), mapped.unrouted(), Topics.UNROUTED_WEBHOOKS.name());
                        String endpoint = request.getURI().getRawPath();
                        for (WhatsAppRecordMapper.Unrouted unrouted : mapped.unrouted()) {
                            records.add(UnroutedWebhooks.whatsApp(endpoint, unrouted.phoneNumberId(),
                                    unrouted.cause().reason(), body, signature, receivedAt));
                        }
                    }
                    log.debug("WhatsApp webhook: {} message(s), {} status(es), {} record(s)",
                            notification.messageCount(), notification.statusCount(), records.size());
                    return publisher.publish(records)
                            .then(Mono.fromRunnable(() -> identities.remember(customers)))
                            .thenReturn(ResponseEntity.ok().build());
                });
    }
}
