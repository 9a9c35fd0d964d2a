package com.answerline.dispatch.send;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ProviderError;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.wire.WireMapping;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.outcome.OutcomeReasons;

/**
 * The asynchronous failover (issue 5 section 4): WhatsApp accepted a message (SENT, a wamid) and later reported its
 * delivery FAILED with 131047 (window closed) or 131026 (undeliverable). This plans the command's one FAILOVER
 * send from the SENT outcome in the ledger: the same fallback rules as a synchronous refusal
 * ({@link ChannelDecider#afterWhatsAppRefusal}, async), rebuilt as a SendRequest of step FAILOVER that goes the
 * sender's usual way (ledger SENDING, provider, ledger result). Sending it exactly once is the ledger's job (key
 * {@code commandId/FAILOVER}).
 *
 * <p>The customer is addressed as the failed message was: the phone (or BSUID) of the status, else the
 * conversation id's customer key. The agent's text is the SENT outcome's rendered text.
 */
public class DeliveryFailover {

    private static final Set<Integer> FAILOVER_CODES = Set.of(ChannelDecider.WINDOW_CLOSED_CODE, ChannelDecider.UNDELIVERABLE_CODE);

    /** What to do about one failed delivery. */
    public sealed interface Plan {

        /** Send this FAILOVER request. */
        record Send(SendRequest request) implements Plan {
        }

        /** Nothing may be sent: this final FAILOVER outcome tells the agent (e.g. policy NONE). */
        record Final(DispatchOutcome outcome) implements Plan {
        }

        /** Not a failover (e.g. a template whose only fallback would be a template, or a reply sent too long ago). */
        record Ignore(String why) implements Plan {
        }
    }

    private final ChannelDecider decider;
    private final Function<String, TenantRules> tenants;
    private final Clock clock;
    private final Duration maxDelay;
    private final DirectSendMetrics directSendMetrics;

    /**
     * @param maxDelay a reply sent longer ago than this is not failed over any more: a fallback SMS days later
     *                 (e.g. statuses read from the beginning on a first deployment) would confuse the customer
     */
    public DeliveryFailover(ChannelDecider decider, Function<String, TenantRules> tenants, Clock clock, Duration maxDelay) {
        this(decider, tenants, clock, maxDelay, DirectSendMetrics.unregistered());
    }

    /** @param directSendMetrics counts a Direct Send message failed later ({@code failed_later}) */
    public DeliveryFailover(ChannelDecider decider, Function<String, TenantRules> tenants, Clock clock, Duration maxDelay,
                            DirectSendMetrics directSendMetrics) {
        this.decider = decider;
        this.tenants = tenants;
        this.clock = clock;
        this.maxDelay = maxDelay;
        this.directSendMetrics = directSendMetrics;
    }

    /**
     * The error code that makes this status a failover trigger (131047 or 131026 on a FAILED or UNDELIVERED WhatsApp
     * status), or null: every other status is ignored before the ledger is asked.
     */
    public static Integer failoverCode(DeliveryStatus status) {
        if (!failedWhatsApp(status)) {
            return null;
        }
        return status.getErrors().stream().map(ProviderError::getCode).filter(FAILOVER_CODES::contains)
                .findFirst().orElse(null);
    }

    /** WhatsApp's "something went wrong" (DOMAIN.md): what a failed Direct Send status without an error is taken for. */
    static final int UNKNOWN_ERROR_CODE = 131000;

    /**
     * The error code that makes this status a failover trigger for the message {@code sent} (the ledger's SENT outcome,
     * null when unknown): as {@link #failoverCode(DeliveryStatus)}, and for a Direct Send message any error of a FAILED
     * or UNDELIVERED status (WhatsApp reviews Direct Send content after sending and may fail it later, e.g. when it
     * reclassifies it): it fails over as a 131047 does, never again as Direct Send.
     */
    public static Integer failoverCode(DeliveryStatus status, DispatchOutcome sent) {
        if (sent != null && sent.getChannel() == Channel.WHATSAPP_DIRECT_SEND && failedWhatsApp(status)) {
            // A failed status without an error still fails the message: never left SENT without its failover.
            return status.getErrors().stream().map(ProviderError::getCode).findFirst().orElse(UNKNOWN_ERROR_CODE);
        }
        return failoverCode(status);
    }

    /** A FAILED or UNDELIVERED status of a WhatsApp message (free-form, template or Direct Send). */
    public static boolean failedWhatsApp(DeliveryStatus status) {
        return (status.getStatus() == DeliveryState.FAILED || status.getStatus() == DeliveryState.UNDELIVERED)
                && (status.getChannel() == Channel.WHATSAPP || status.getChannel() == Channel.WHATSAPP_TEMPLATE
                        || status.getChannel() == Channel.WHATSAPP_DIRECT_SEND);
    }

    /**
     * @param sent a {@link SendLedger#failoverCandidate} entry, the message the status is about
     */
    public Plan plan(DispatchOutcome sent, DeliveryStatus status, int code) {
        TenantRules tenant = tenants.apply(sent.getTenantId());
        if (tenant == null || sent.getExplanation() == null) {
            return new Plan.Ignore("no tenant or explanation");
        }
        if (sent.getOccurredAt().plus(maxDelay).isBefore(clock.instant())) {
            return new Plan.Ignore("sent more than " + maxDelay + " ago");
        }
        // A Direct Send message is the agent's own text: it fails over as free-form does.
        boolean freeForm = sent.getChannel() == Channel.WHATSAPP || sent.getChannel() == Channel.WHATSAPP_DIRECT_SEND;
        if (!freeForm && code != ChannelDecider.UNDELIVERABLE_CODE) {
            return new Plan.Ignore("template refused with " + code);
        }
        String phone = status.getRecipientPhone();
        String bsuid = status.getRecipientBsuid();
        try {
            ConversationId conversation = ConversationId.parse(sent.getConversationId());
            if (phone == null && conversation.keyedByPhone()) {
                phone = conversation.customerKey();
            }
            if (bsuid == null && !conversation.keyedByPhone()) {
                bsuid = conversation.customerKey();
            }
        } catch (IllegalArgumentException e) {
            return new Plan.Ignore("invalid conversation id");
        }
        Decision.Send refused = new Decision.Send(sent.getChannel(), phone, bsuid, sent.getRenderedText(), null,
                OutcomeReasons.of(sent), WireMapping.explanation(sent.getExplanation()));
        Decision fallback = decider.afterWhatsAppRefusal(refused, code, tenant, true);
        if (sent.getChannel() == Channel.WHATSAPP_DIRECT_SEND) {
            directSendMetrics.failedLater();
        }
        if (fallback instanceof Decision.Send send) {
            return new Plan.Send(SendRequest.newBuilder()
                    .setCommandId(sent.getCommandId())
                    .setTenantId(sent.getTenantId())
                    .setConversationId(sent.getConversationId())
                    .setPhoneNumberId(status.getPhoneNumberId())
                    .setChannel(send.channel())
                    .setRecipientPhone(send.recipientPhone())
                    .setRecipientBsuid(send.recipientBsuid())
                    .setText(send.text())
                    .setTemplate(WireMapping.templateRef(send.template()))
                    .setExplanation(WireMapping.explanation(send.explanation()))
                    .setOutcomeReason(send.reason())
                    .setAgentId(sent.getAgentId())
                    .setStep(SendStep.FAILOVER)
                    .setDecidedAt(clock.instant())
                    .build());
        }
        if (!freeForm) {
            // A template is never answered with a template; without an SMS there is no failover to speak of.
            return new Plan.Ignore("template undeliverable and no SMS");
        }
        return new Plan.Final(WireMapping.outcome(sent.getCommandId(), sent.getTenantId(), sent.getConversationId(),
                        OutcomeStatus.FAILED, sent.getChannel(), fallback.reason(),
                        WireMapping.explanation(fallback.explanation()), true, clock.instant())
                .setStep(SendStep.FAILOVER)
                .setAgentId(sent.getAgentId())
                .setProviderMessageId(sent.getProviderMessageId())
                .setErrorCode(code)
                .setErrorTitle(status.getErrors().stream().filter(error -> error.getCode() == code)
                        .map(ProviderError::getTitle).findFirst().orElse(null))
                .build());
    }
}
