package com.answerline.dispatch.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.DirectSendAccess;
import com.answerline.dispatch.decision.Explanation;
import com.answerline.dispatch.decision.SmsSegments;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.provider.ProviderErrorKind;
import com.answerline.dispatch.provider.ProviderErrors;
import com.answerline.dispatch.provider.sms.SmsApiException;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.whatsapp.WhatsAppApiException;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.wire.WireMapping;
import com.answerline.schemas.send.SendReference;

/**
 * Sends one decided request through its provider and says what became of it: SENT with the provider's message
 * id, or FAILED with the error code. WhatsApp is the final judge: a free-form send refused with 131047 (window
 * closed), or a send refused with 131026 (undeliverable), falls back once, per the policy in the request's
 * explanation, and the outcome records the chain. SMS go from the tenant's sender id. A Direct Send message refused
 * with 100 (not enabled) or 139200 (access blocked) is recorded in the shared {@link DirectSendRefusals} and the same
 * reply continues down its chain at once ({@link ChannelDecider#afterDirectSendRefusal}), under the same ledger entry
 * as the refused call: exactly once, like the 131047 fallback.
 * Provider errors become outcomes, never exceptions; only the caller's Kafka I/O can throw, and a lost answer
 * ({@link InDoubtSendException}: no outcome is known yet).
 */
public class ReplySender {

    private static final Logger log = LoggerFactory.getLogger(ReplySender.class);

    private final WhatsAppClient whatsApp;
    private final SmsClient sms;
    private final ChannelDecider decider;
    private final Function<String, TenantRules> tenants;
    private final Clock clock;
    private final Duration callTimeout;
    private final DirectSendRefusals directSendRefusals;
    private final DirectSendMetrics directSendMetrics;

    /**
     * Without a shared record of Direct Send refusals (kept in this object only) and with meters nobody reads.
     *
     * @param callTimeout upper bound on one provider call, above the connector's own connect + read timeouts
     */
    public ReplySender(WhatsAppClient whatsApp, SmsClient sms, ChannelDecider decider,
                       Function<String, TenantRules> tenants, Clock clock, Duration callTimeout) {
        this(whatsApp, sms, decider, tenants, clock, callTimeout,
                new DirectSendRefusals(number -> TenantRules.DirectSend.DEFAULT_RECHECK_AFTER, entry -> { }),
                DirectSendMetrics.unregistered());
    }

    /**
     * @param directSendRefusals where a Direct Send refusal is recorded (shared by every instance, read by the decision)
     */
    public ReplySender(WhatsAppClient whatsApp, SmsClient sms, ChannelDecider decider,
                       Function<String, TenantRules> tenants, Clock clock, Duration callTimeout,
                       DirectSendRefusals directSendRefusals, DirectSendMetrics directSendMetrics) {
        this.whatsApp = whatsApp;
        this.sms = sms;
        this.decider = decider;
        this.tenants = tenants;
        this.clock = clock;
        this.callTimeout = callTimeout;
        this.directSendRefusals = directSendRefusals;
        this.directSendMetrics = directSendMetrics;
    }

    /**
     * What one send came to: its outcome, and when the provider was unavailable (the outcome is then FAILED
     * PROVIDER_UNAVAILABLE) what a later retry would send.
     *
     * @param unavailable null when the outcome is what became of the send
     */
    public record Result(DispatchOutcome outcome, Unavailable unavailable) {

        static Result of(DispatchOutcome outcome) {
            return new Result(outcome, null);
        }
    }

    /**
     * The provider did not take the message and certainly did not receive it ({@link ProviderErrors#unavailable}).
     *
     * @param retry      the request a retry sends: the one given, or after a synchronous fallback the fallback
     *                   (an SMS after 131047 is retried as the SMS, never as the refused WhatsApp message)
     * @param retryAfter the provider's Retry-After, null when it gave none
     * @param cause      the error as a bounded code (http_503, circuit_open, 130429, io, ...)
     */
    public record Unavailable(SendRequest retry, Duration retryAfter, String cause) {
    }

    /**
     * Sends the request once (plus at most one synchronous fallback) and says what became of it. The outcome
     * carries the request's step; an invitation (HOLD_INVITATION) that went out is HELD, not final. Every send is
     * named by its {@link SendReference} (conversation, command, step), which the provider echoes in its statuses.
     *
     * @throws InDoubtSendException when the provider may have accepted the message but its answer was lost: there is
     *         no outcome yet, only the one it gets if a status proves it accepted
     */
    public DispatchOutcome send(SendRequest request) {
        return sendOrReport(request).outcome();
    }

    /** {@link #send}, and when the provider was unavailable, what may be retried (see {@link Unavailable}). */
    public Result sendOrReport(SendRequest request) {
        TenantRules tenant = tenants.apply(request.getTenantId());
        Decision.Send decided = WireMapping.send(request);
        if (tenant == null) {
            return Result.of(failed(request, decided, OutcomeReason.UNKNOWN_TENANT, null, 0).build());
        }
        return attempt(request, decided, tenant, 1);
    }

    /**
     * The outcome the request's decided send gets if a status proves the provider accepted it (SENT, or HELD for an
     * invitation), without the provider message id: for a send found SENDING after a restart, whose answer nobody saw.
     */
    public DispatchOutcome ifAccepted(SendRequest request) {
        return sent(request, WireMapping.send(request), null, 1);
    }

    /** One provider call; a 131047 or 131026 refusal of a first attempt may fall back once, anything else ends here. */
    private Result attempt(SendRequest request, Decision.Send send, TenantRules tenant, int attempt) {
        try {
            String providerMessageId = deliver(send, request, tenant);
            if (send.channel() == Channel.WHATSAPP_DIRECT_SEND) {
                directSendMetrics.sent();
            }
            return Result.of(sent(request, send, providerMessageId, attempt));
        } catch (WhatsAppApiException e) {
            if (send.channel() == Channel.WHATSAPP_DIRECT_SEND && !ProviderErrors.unavailable(e)) {
                directSendMetrics.refused(e.code());
            }
            if (attempt == 1 && send.channel() == Channel.WHATSAPP_DIRECT_SEND
                    && ProviderErrors.WHATSAPP_DIRECT_SEND_REFUSED.contains(e.code())) {
                return directSendRefused(request, send, tenant, e);
            }
            if (attempt == 1 && fallsBack(request.getStep(), send.channel(), e.code())) {
                return fallBack(request, send, tenant, e);
            }
            if (ProviderErrors.unavailable(e)) {
                return unavailable(request, send, e, attempt, e.code(), e.title());
            }
            return Result.of(failed(request, send, OutcomeReason.WHATSAPP_ERROR, e.code(), attempt).setErrorTitle(e.title()).build());
        } catch (SmsApiException e) {
            if (ProviderErrors.unavailable(e)) {
                return unavailable(request, send, e, attempt, e.code(), e.title());
            }
            return Result.of(failed(request, send, OutcomeReason.SMS_ERROR, e.code(), attempt).setErrorTitle(e.title()).build());
        } catch (RuntimeException e) {
            if (ProviderErrors.classify(e) == ProviderErrorKind.IN_DOUBT) {
                // Sent, answer lost: maybe delivered. Not retried and not fallen back (either could reach the
                // customer twice); the caller waits for a status naming the send (SendReconciler).
                log.warn("command {} on {}: the provider's answer was lost ({}), not resent: {}", request.getCommandId(),
                        send.channel(), e.getClass().getSimpleName(), OutcomeReason.SEND_STATE_UNKNOWN);
                throw new InDoubtSendException(sent(request, send, null, attempt));
            }
            log.warn("provider call failed for command {} on {}: {}", request.getCommandId(), send.channel(), e.toString());
            if (ProviderErrors.unavailable(e)) {
                return unavailable(request, send, e, attempt, null, null);
            }
            return Result.of(failed(request, send, OutcomeReason.PROVIDER_UNAVAILABLE, null, attempt).build());
        }
    }

    /** The provider is unavailable: FAILED PROVIDER_UNAVAILABLE for a caller that cannot wait, and the retry. */
    private Result unavailable(SendRequest request, Decision.Send send, RuntimeException error, int attempt,
                               Integer code, String title) {
        int errorCode = code == null ? WhatsAppApiException.NO_CODE : code;
        DispatchOutcome failed = failed(request, send, OutcomeReason.PROVIDER_UNAVAILABLE,
                errorCode == WhatsAppApiException.NO_CODE ? null : errorCode, attempt).setErrorTitle(title).build();
        SendRequest retry = attempt == 1 ? request : WireMapping.sendRequest(request, send).build();
        return new Result(failed, new Unavailable(retry, ProviderErrors.retryAfter(error), ProviderErrors.code(error)));
    }

    /**
     * False while the channel's provider breaker is open (a call would be refused without reaching it); true again
     * once it lets probes through (see {@code ProviderGuard.permitsCalls}).
     */
    public boolean permitsCalls(Channel channel) {
        return switch (channel) {
            case WHATSAPP, WHATSAPP_TEMPLATE, WHATSAPP_DIRECT_SEND -> whatsApp.permitsCalls();
            case SMS -> sms.permitsCalls();
            case UNKNOWN -> true;
        };
    }

    /**
     * Which refusals fall back: 131047 of a free-form message (never retried free-form), 131026 of a free-form
     * message, a Direct Send message or a template (a template is only answered by SMS, see the decider). Only for a REPLY or a HELD_ANSWER:
     * an invitation that fails is FAILED (the held answer is dropped), and a FAILOVER is already the one fallback.
     */
    private static boolean fallsBack(SendStep step, Channel channel, int code) {
        if (step != SendStep.REPLY && step != SendStep.HELD_ANSWER) {
            return false;
        }
        if (code == ChannelDecider.WINDOW_CLOSED_CODE) {
            return channel == Channel.WHATSAPP;
        }
        return code == ChannelDecider.UNDELIVERABLE_CODE && (channel == Channel.WHATSAPP
                || channel == Channel.WHATSAPP_TEMPLATE || channel == Channel.WHATSAPP_DIRECT_SEND);
    }

    private Result fallBack(SendRequest request, Decision.Send refused, TenantRules tenant,
                            WhatsAppApiException refusal) {
        int code = refusal.code();
        Decision fallback = decider.afterWhatsAppRefusal(refused, code, tenant, false);
        log.info("command {}: WhatsApp refused with {}, falling back: {}", request.getCommandId(), code, fallback.reason());
        if (fallback instanceof Decision.Send send) {
            return attempt(request, send, tenant, 2);
        }
        // 131047 without an allowed fallback: REJECTED WINDOW_CLOSED (the window decides, as the decision would
        // have); 131026: FAILED PROVIDER_UNDELIVERABLE. Either way with the code and the alternatives.
        boolean windowClosed = code == ChannelDecider.WINDOW_CLOSED_CODE;
        return Result.of(outcome(request, windowClosed ? OutcomeStatus.REJECTED : OutcomeStatus.FAILED,
                windowClosed ? null : refused.channel(), fallback.reason(), fallback.explanation(), null, true)
                .setTemplate(WireMapping.templateRef(refused.template()))
                .setErrorCode(code)
                .setErrorTitle(refusal.title())
                .setAttempts(1)
                .build());
    }

    /**
     * WhatsApp refused a Direct Send message (100 not enabled, 139200 access blocked): the number is recorded as
     * refused for every instance (the decision skips Direct Send for it from now on), and the same reply continues down
     * its chain at once, never as Direct Send again: the SMS with the link, else the tenant's template, else REJECTED
     * DIRECT_SEND_REFUSED with the code.
     */
    private Result directSendRefused(SendRequest request, Decision.Send refused, TenantRules tenant,
                                     WhatsAppApiException refusal) {
        int code = refusal.code();
        directSendRefusals.refused(request.getTenantId(), request.getPhoneNumberId(), code, refusal.title(),
                request.getCommandId(), clock.instant());
        Decision fallback = decider.afterDirectSendRefusal(refused, code, tenant);
        if (code == DirectSendAccess.BLOCKED_CODE) {
            log.error("command {}: WhatsApp Direct Send access of business number {} is blocked (139200); continuing: {}",
                    request.getCommandId(), request.getPhoneNumberId(), fallback.reason());
        } else {
            log.warn("command {}: WhatsApp Direct Send refused for business number {} ({}); continuing: {}",
                    request.getCommandId(), request.getPhoneNumberId(), code, fallback.reason());
        }
        if (fallback instanceof Decision.Send send) {
            return attempt(request, send, tenant, 2);
        }
        return Result.of(outcome(request, OutcomeStatus.REJECTED, null, fallback.reason(), fallback.explanation(), null, true)
                .setErrorCode(code)
                .setErrorTitle(refusal.title())
                .setAttempts(1)
                .build());
    }

    /**
     * How long WhatsApp may hold a Direct Send message before dropping it: what is left of the send's validity
     * ({@link ChannelDecider#validUntil}, counted from the decision), within Direct Send's 30 s..12 h.
     */
    private Duration directSendTtl(SendRequest request, Decision.Send send, TenantRules tenant) {
        Instant validUntil = decider.validUntil(send.channel(), send.explanation(), request.getDecidedAt(), tenant);
        return WhatsAppClient.directSendTtl(Duration.between(clock.instant(), validUntil));
    }

    private String deliver(Decision.Send send, SendRequest request, TenantRules tenant) {
        String phoneNumberId = request.getPhoneNumberId();
        // WhatsApp addresses a username-only customer by BSUID (DOMAIN 2a); SMS needs the phone.
        String whatsAppTo = send.recipientPhone() != null ? send.recipientPhone() : send.recipientBsuid();
        // Null only for ids that do not fit (see SendReference.of): that send's statuses match by provider message id.
        SendReference reference = SendReference.of(request.getConversationId(), request.getCommandId(), request.getStep())
                .orElse(null);
        Mono<String> call = switch (send.channel()) {
            case WHATSAPP -> whatsApp.sendText(phoneNumberId, whatsAppTo, send.text(), reference);
            case WHATSAPP_TEMPLATE -> whatsApp.sendTemplate(phoneNumberId, whatsAppTo, send.template().name(),
                    send.template().language(), send.template().parameters(), reference);
            case WHATSAPP_DIRECT_SEND -> whatsApp.sendDirectSend(phoneNumberId, whatsAppTo, send.text(),
                    directSendTtl(request, send, tenant), reference);
            case SMS -> sms.send(SmsClient.e164(send.recipientPhone()), tenant.smsSenderId(), send.text(), reference);
            case UNKNOWN -> Mono.error(new IllegalArgumentException("no channel decided"));
        };
        return call.block(callTimeout);
    }

    private DispatchOutcome sent(SendRequest request, Decision.Send send, String providerMessageId, int attempts) {
        // An invitation out means the answer is now held: HELD, not final (the release or expiry follows).
        boolean held = request.getStep() == SendStep.HOLD_INVITATION;
        return outcome(request, held ? OutcomeStatus.HELD : OutcomeStatus.SENT, send.channel(), send.reason(),
                send.explanation(), send.text(), !held)
                .setTemplate(WireMapping.templateRef(send.template()))
                .setProviderMessageId(providerMessageId)
                .setRenderedText(send.text())
                .setHoldExpiresAt(held ? request.getHoldExpiresAt() : null)
                .setAttempts(attempts)
                .build();
    }

    /** The FAILED outcome of {@code send} (with the template it tried), to add the provider's error title to. */
    private DispatchOutcome.Builder failed(SendRequest request, Decision.Send send, OutcomeReason reason,
                                           Integer errorCode, int attempts) {
        return outcome(request, OutcomeStatus.FAILED, send.channel(), reason, send.explanation(), send.text(), true)
                .setTemplate(WireMapping.templateRef(send.template()))
                .setErrorCode(errorCode)
                .setAttempts(attempts);
    }

    /**
     * Every outcome carries the request's step and agent; an SMS outcome also its encoding and segments (what is
     * billed).
     */
    private DispatchOutcome.Builder outcome(SendRequest request, OutcomeStatus status, Channel channel, OutcomeReason reason,
                                            Explanation explanation, String text, boolean isFinal) {
        DispatchOutcome.Builder outcome = WireMapping.outcome(request.getCommandId(), request.getTenantId(),
                        request.getConversationId(), status, channel, reason, WireMapping.explanation(explanation),
                        isFinal, clock.instant())
                .setStep(request.getStep())
                .setAgentId(request.getAgentId());
        if (channel == Channel.SMS && text != null) {
            SmsSegments segments = SmsSegments.of(text);
            outcome.setSmsEncoding(segments.encoding().name()).setSmsSegments(segments.segments());
        }
        return outcome;
    }
}
