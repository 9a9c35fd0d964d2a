package com.answerline.dispatch.preview;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.Explanation;
import com.answerline.dispatch.decision.ReplyRequest;
import com.answerline.dispatch.decision.SessionSnapshot;
import com.answerline.dispatch.decision.TemplateMessage;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.schemas.conversation.ConversationId;

/**
 * Runs the very {@link ChannelDecider} the decision topology runs, on a session handed in instead of one read
 * from Kafka, for a free-form text reply decided now. No second copy of the rules: only the body's validation
 * and the mapping to {@link ChannelPreview} live here. Plain Java, no Spring.
 */
final class ChannelPreviews {

    /**
     * Stands in for the agent's words: the decision only asks whether there is text, and the preview does not
     * show the SMS body it would build around it.
     */
    static final String SAMPLE_TEXT = "(reply preview)";
    static final int MAX_ID_LENGTH = 256;

    private final ChannelDecider decider;
    private final Function<String, TenantRules> tenants;

    ChannelPreviews(ChannelDecider decider, Function<String, TenantRules> tenants) {
        this.decider = decider;
        this.tenants = tenants;
    }

    /** @throws InvalidPreviewException naming the first field that cannot be read */
    ChannelPreview preview(PreviewRequest body) {
        if (body == null) {
            throw new InvalidPreviewException("body", "is required");
        }
        String tenantId = required("tenantId", body.tenantId());
        String conversationId = required("conversationId", body.conversationId());
        try {
            ConversationId.parse(conversationId);
        } catch (IllegalArgumentException e) {
            throw new InvalidPreviewException("conversationId", e.getMessage());
        }
        ReplyRequest reply = new ReplyRequest("preview", tenantId, conversationId, null, null, SAMPLE_TEXT,
                template(body.template()), fallback(body.fallback()), null);
        SessionSnapshot session = session(body.session(), conversationId);
        TenantRules tenant = tenants.apply(tenantId);
        if (tenant == null) {
            return view(decider.unknownTenant(reply, session), null);
        }
        ChannelDecider.Wait wait = decider.waitFor(reply, session, tenant);
        return view(decider.decide(reply, session, tenant),
                wait == ChannelDecider.Wait.NOTHING ? null : wait.name());
    }

    private static ChannelPreview view(Decision decision, String waitsFor) {
        Explanation why = decision.explanation();
        ChannelPreview.Outcome outcome;
        String channel;
        if (decision instanceof Decision.Send send) {
            outcome = ChannelPreview.Outcome.SEND;
            channel = send.channel().name();
        } else if (decision instanceof Decision.Hold hold) {
            // The invitation goes out now on its channel; the reply itself is kept for later.
            outcome = ChannelPreview.Outcome.HOLD;
            channel = hold.invitation().channel().name();
        } else {
            outcome = ChannelPreview.Outcome.REJECT;
            channel = "NONE";
        }
        return new ChannelPreview(channel, decision.reason().name(), outcome, waitsFor,
                why.windowState() == WindowState.OPEN, why.windowState().name(), why.windowExpiresAt(),
                why.timeLeft() == null ? null : why.timeLeft().toMillis(),
                why.policy() == null ? null : why.policy().name(), why.sessionVersion(),
                why.fallbackChain(), why.alternatives());
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidPreviewException(field, "is required");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new InvalidPreviewException(field, "must be at most " + MAX_ID_LENGTH + " characters");
        }
        return value;
    }

    private static FallbackPolicy fallback(String value) {
        if (value == null || value.isBlank()) {
            return FallbackPolicy.AUTO;
        }
        try {
            return FallbackPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidPreviewException("fallback", "must be one of AUTO, SMS, TEMPLATE, TEMPLATE_THEN_HOLD, NONE");
        }
    }

    private static TemplateMessage template(PreviewRequest.Template template) {
        if (template == null) {
            return null;
        }
        if (template.parameters() != null && template.parameters().stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidPreviewException("template.parameters", "must be strings, not null");
        }
        return new TemplateMessage(required("template.name", template.name()),
                required("template.language", template.language()), template.parameters());
    }

    private static SessionSnapshot session(PreviewRequest.Session session, String conversationId) {
        if (session == null) {
            return null;
        }
        if (session.version() == null || session.version() < 0) {
            throw new InvalidPreviewException("session.version", "is required and must not be negative");
        }
        Instant expiresAt = null;
        if (session.windowExpiresAt() != null) {
            try {
                expiresAt = Instant.parse(session.windowExpiresAt());
            } catch (DateTimeParseException e) {
                throw new InvalidPreviewException("session.windowExpiresAt", "must be an ISO-8601 instant");
            }
        }
        return new SessionSnapshot(session.version(), ConversationId.parse(conversationId).phoneNumberId(),
                session.customerPhone(), session.customerBsuid(), session.customerProfileName(), expiresAt);
    }
}
