package com.answerline.dispatch.wire;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SessionState;
import com.answerline.avro.TemplateRef;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.Explanation;
import com.answerline.dispatch.decision.ReplyRequest;
import com.answerline.dispatch.decision.SessionSnapshot;
import com.answerline.dispatch.decision.TemplateMessage;

/** Translates between the Avro wire types and the decision's records; the only place that knows both. */
public final class WireMapping {

    private WireMapping() {
    }

    public static ReplyRequest reply(ReplyCommand command) {
        return new ReplyRequest(command.getCommandId(), command.getTenantId(), command.getConversationId(),
                command.getAgentId(), command.getAgentName(), command.getText(), template(command.getTemplate()), command.getFallback(),
                command.getObservedSessionVersion(), command.getCategory());
    }

    public static SessionSnapshot session(SessionState state) {
        return state == null ? null : new SessionSnapshot(state.getVersion(), state.getPhoneNumberId(),
                state.getCustomerPhone(), state.getCustomerBsuid(), state.getCustomerProfileName(),
                state.getWindowExpiresAt(), state.getFreeEntryPoint(), state.getWindowOpenedAt(),
                state.getUnansweredSince());
    }

    public static SendRequest sendRequest(ReplyCommand command, String phoneNumberId, Decision.Send send, Instant decidedAt) {
        return decided(SendRequest.newBuilder(), send)
                .setCommandId(command.getCommandId())
                .setTenantId(command.getTenantId())
                .setConversationId(command.getConversationId())
                .setPhoneNumberId(phoneNumberId)
                .setAgentId(command.getAgentId())
                .setDecidedAt(decidedAt)
                .build();
    }

    /**
     * The same command's request with another decision (a fallback the sender chose): channel, recipient, text,
     * template, explanation and reason replaced; step and times as in {@code base}.
     */
    public static SendRequest.Builder sendRequest(SendRequest base, Decision.Send send) {
        return decided(SendRequest.newBuilder(base), send);
    }

    /** The decision's part of a request: channel, recipient, text, template, explanation, reason. */
    private static SendRequest.Builder decided(SendRequest.Builder request, Decision.Send send) {
        return request
                .setChannel(send.channel())
                .setRecipientPhone(send.recipientPhone())
                .setRecipientBsuid(send.recipientBsuid())
                .setText(send.text())
                .setTemplate(templateRef(send.template()))
                .setExplanation(explanation(send.explanation()))
                .setOutcomeReason(send.reason());
    }

    /**
     * The decision a SendRequest carries, reason included, to send and to fall back from when a provider refuses it.
     * A request written before {@code outcomeReason} existed (in flight during that upgrade) says UNSPECIFIED, and so
     * does its outcome.
     */
    public static Decision.Send send(SendRequest request) {
        return new Decision.Send(request.getChannel(), request.getRecipientPhone(), request.getRecipientBsuid(),
                request.getText(), template(request.getTemplate()), request.getOutcomeReason(),
                explanation(request.getExplanation()));
    }

    /** A decision's final REJECTED outcome: nothing was sent, so no template. */
    public static DispatchOutcome rejected(ReplyCommand command, OutcomeReason reason, Explanation explanation, Instant at) {
        return outcome(command, OutcomeStatus.REJECTED, null, reason, explanation(explanation), true, at).build();
    }

    /** The start of an outcome of a decision about {@code command}: with the command's agent. */
    public static DispatchOutcome.Builder outcome(ReplyCommand command, OutcomeStatus status, Channel channel,
                                                  OutcomeReason reason, DecisionExplanation explanation,
                                                  boolean isFinal, Instant at) {
        return outcome(command.getCommandId(), command.getTenantId(), command.getConversationId(), status, channel,
                reason, explanation, isFinal, at)
                .setAgentId(command.getAgentId());
    }

    /**
     * Every outcome dispatch writes starts here: {@code outcomeReason}, and the deprecated string {@code reason} (its
     * name) for readers built before the enum.
     */
    public static DispatchOutcome.Builder outcome(String commandId, String tenantId, String conversationId,
                                                  OutcomeStatus status, Channel channel, OutcomeReason reason,
                                                  DecisionExplanation explanation, boolean isFinal, Instant at) {
        return DispatchOutcome.newBuilder()
                .setCommandId(commandId)
                .setTenantId(tenantId)
                .setConversationId(conversationId)
                .setStatus(status)
                .setChannel(channel)
                .setOutcomeReason(reason)
                .setReason(reason.name())
                .setExplanation(explanation)
                .setFinal$(isFinal)
                .setOccurredAt(at);
    }

    public static DecisionExplanation explanation(Explanation e) {
        return DecisionExplanation.newBuilder()
                .setWindowState(e.windowState())
                .setWindowExpiresAt(e.windowExpiresAt())
                .setTimeLeftMillis(e.timeLeft() == null ? null : e.timeLeft().toMillis())
                .setPolicy(e.policy())
                .setSessionVersion(e.sessionVersion())
                .setFallbackChain(e.fallbackChain())
                .setAlternatives(e.alternatives())
                .setFreeEntryPointUntil(e.freeEntryPointUntil())
                .build();
    }

    /** The decision's explanation as the sender reads it back. */
    public static Explanation explanation(DecisionExplanation e) {
        return new Explanation(e.getWindowState(), e.getWindowExpiresAt(),
                e.getTimeLeftMillis() == null ? null : Duration.ofMillis(e.getTimeLeftMillis()), e.getPolicy(),
                e.getSessionVersion(), List.copyOf(e.getFallbackChain()), List.copyOf(e.getAlternatives()),
                e.getFreeEntryPointUntil());
    }

    private static TemplateMessage template(TemplateRef ref) {
        return ref == null ? null : new TemplateMessage(ref.getName(), ref.getLanguage(), List.copyOf(ref.getParameters()));
    }

    public static TemplateRef templateRef(TemplateMessage template) {
        return template == null ? null : TemplateRef.newBuilder()
                .setName(template.name())
                .setLanguage(template.language())
                .setParameters(template.parameters())
                .build();
    }
}
