package com.answerline.dispatch.send;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.provider.sms.SmsApiException;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.whatsapp.WhatsAppApiException;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.wire.WireMapping;

/**
 * Sends one decided request through its provider and says what became of it: SENT with the provider's message
 * id, or FAILED with the error code. WhatsApp is the final judge of the window: a free-form send refused with
 * 131047 falls back once, per the policy in the request's explanation, and the outcome records the chain.
 * Provider errors become outcomes, never exceptions; only the caller's Kafka I/O can throw.
 */
public class ReplySender {

    public static final String UNKNOWN_TENANT = "UNKNOWN_TENANT";
    public static final String WHATSAPP_ERROR = "WHATSAPP_ERROR";
    public static final String SMS_ERROR = "SMS_ERROR";
    public static final String PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE";

    private static final Logger log = LoggerFactory.getLogger(ReplySender.class);

    private final WhatsAppClient whatsApp;
    private final SmsClient sms;
    private final ChannelDecider decider;
    private final Function<String, TenantRules> tenants;
    private final Clock clock;
    private final Duration callTimeout;

    /** @param callTimeout upper bound on one provider call, above the connector's own connect + read timeouts */
    public ReplySender(WhatsAppClient whatsApp, SmsClient sms, ChannelDecider decider,
                       Function<String, TenantRules> tenants, Clock clock, Duration callTimeout) {
        this.whatsApp = whatsApp;
        this.sms = sms;
        this.decider = decider;
        this.tenants = tenants;
        this.clock = clock;
        this.callTimeout = callTimeout;
    }

    public DispatchOutcome send(SendRequest request) {
        TenantRules tenant = tenants.apply(request.getTenantId());
        Decision.Send decided = WireMapping.send(request,
                ChannelDecider.reasonOf(request.getChannel(), WireMapping.explanation(request.getExplanation())));
        if (tenant == null) {
            return failed(request, decided, UNKNOWN_TENANT, null, 0);
        }
        return attempt(request, decided, tenant, 1);
    }

    /** One provider call; a 131047 refusal of a first free-form attempt falls back, anything else ends here. */
    private DispatchOutcome attempt(SendRequest request, Decision.Send send, TenantRules tenant, int attempt) {
        try {
            return sent(request, send, deliver(send, request.getPhoneNumberId(), tenant), attempt);
        } catch (WhatsAppApiException e) {
            if (attempt == 1 && send.channel() == Channel.WHATSAPP && e.windowClosed()) {
                return fallBack(request, send, tenant);
            }
            return failed(request, send, WHATSAPP_ERROR, e.code(), attempt);
        } catch (SmsApiException e) {
            return failed(request, send, SMS_ERROR, e.code(), attempt);
        } catch (RuntimeException e) {
            log.warn("provider call failed for command {} on {}: {}", request.getCommandId(), send.channel(), e.toString());
            return failed(request, send, PROVIDER_UNAVAILABLE, null, attempt);
        }
    }

    private DispatchOutcome fallBack(SendRequest request, Decision.Send refused, TenantRules tenant) {
        Decision fallback = decider.afterWhatsAppClosedWindow(refused, tenant);
        log.info("command {}: WhatsApp closed the window (131047), falling back: {}", request.getCommandId(), fallback.reason());
        if (fallback instanceof Decision.Send send) {
            return attempt(request, send, tenant, 2);
        }
        return WireMapping.outcome(request.getCommandId(), request.getTenantId(), request.getConversationId(),
                        OutcomeStatus.REJECTED, null, fallback.reason(), WireMapping.explanation(fallback.explanation()),
                        true, clock.instant())
                .setErrorCode(WhatsAppApiException.WINDOW_CLOSED)
                .setAttempts(1)
                .build();
    }

    private String deliver(Decision.Send send, String phoneNumberId, TenantRules tenant) {
        // WhatsApp addresses a username-only customer by BSUID (DOMAIN 2a); SMS needs the phone.
        String whatsAppTo = send.recipientPhone() != null ? send.recipientPhone() : send.recipientBsuid();
        Mono<String> call = switch (send.channel()) {
            case WHATSAPP -> whatsApp.sendText(phoneNumberId, whatsAppTo, send.text());
            case WHATSAPP_TEMPLATE -> whatsApp.sendTemplate(phoneNumberId, whatsAppTo, send.template().name(),
                    send.template().language(), send.template().parameters());
            case SMS -> sms.send(SmsClient.e164(send.recipientPhone()), SmsClient.e164(tenant.displayNumber()), send.text());
            case UNKNOWN -> Mono.error(new IllegalArgumentException("no channel decided"));
        };
        return call.block(callTimeout);
    }

    private DispatchOutcome sent(SendRequest request, Decision.Send send, String providerMessageId, int attempts) {
        return WireMapping.outcome(request.getCommandId(), request.getTenantId(), request.getConversationId(),
                        OutcomeStatus.SENT, send.channel(), send.reason(), WireMapping.explanation(send.explanation()),
                        true, clock.instant())
                .setProviderMessageId(providerMessageId)
                .setRenderedText(send.text())
                .setAttempts(attempts)
                .build();
    }

    private DispatchOutcome failed(SendRequest request, Decision.Send send, String reason, Integer errorCode, int attempts) {
        return WireMapping.outcome(request.getCommandId(), request.getTenantId(), request.getConversationId(),
                        OutcomeStatus.FAILED, send.channel(), reason, WireMapping.explanation(send.explanation()),
                        true, clock.instant())
                .setErrorCode(errorCode)
                .setAttempts(attempts)
                .build();
    }
}
