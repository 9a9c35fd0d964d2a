package com.answerline.dispatch.preview;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.answerline.avro.ContentCategory;
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
 * from Kafka, for a free-form text reply decided now (the agent's draft when the body has one), and lists every
 * option with its cost ({@link ReplyOptions}). No second copy of the rules: only the body's validation and the
 * mapping to {@link ChannelPreview} live here. Plain Java, no Spring.
 */
final class ChannelPreviews {

    /**
     * Stands in for the agent's words when there is no draft: the decision only asks whether there is text, and
     * the preview then counts no SMS segments.
     */
    static final String SAMPLE_TEXT = "(reply preview)";
    static final int MAX_ID_LENGTH = 256;
    /** The longest draft, in characters (code points): the gateway's limit of a reply's text. */
    static final int MAX_TEXT_LENGTH = 4096;

    private final ChannelDecider decider;
    private final Function<String, TenantRules> tenants;
    private final ReplyOptions options;

    ChannelPreviews(ChannelDecider decider, Function<String, TenantRules> tenants, ReplyOptions options) {
        this.decider = decider;
        this.tenants = tenants;
        this.options = options;
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
        String draft = draft(body.text());
        ContentCategory category = category(body.category());
        ReplyRequest reply = new ReplyRequest("preview", tenantId, conversationId, null, null,
                draft != null ? draft : SAMPLE_TEXT, template(body.template()), fallback(body.fallback()), null, category);
        SessionSnapshot session = session(body.session(), conversationId);
        TenantRules tenant = tenants.apply(tenantId);
        if (tenant == null) {
            // No rules, no templates, no prices for a tenant this service does not know: nothing to offer.
            return view(decider.unknownTenant(reply, session), null, List.of());
        }
        ChannelDecider.Wait wait = decider.waitFor(reply, session, tenant);
        return view(decider.decide(reply, session, tenant),
                wait == ChannelDecider.Wait.NOTHING ? null : wait.name(),
                options.of(tenantId, conversationId, draft, category, session, tenant));
    }

    private static ChannelPreview view(Decision decision, String waitsFor, List<ReplyOption> options) {
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
                why.fallbackChain(), why.alternatives(), options);
    }

    /** The agent's draft; null when blank (nothing written yet). */
    private static String draft(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT_LENGTH) {
            throw new InvalidPreviewException("text", "must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        return text;
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
            throw new InvalidPreviewException("fallback",
                    "must be one of AUTO, SMS, TEMPLATE, TEMPLATE_THEN_HOLD, NONE, DIRECT_SEND");
        }
    }

    /** What the draft is marked as; null when not marked. */
    private static ContentCategory category(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ContentCategory.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidPreviewException("category", "must be UTILITY or UNSPECIFIED");
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
        return new SessionSnapshot(session.version(), ConversationId.parse(conversationId).phoneNumberId(),
                session.customerPhone(), session.customerBsuid(), session.customerProfileName(),
                instant("session.windowExpiresAt", session.windowExpiresAt()),
                Boolean.TRUE.equals(session.freeEntryPoint()), instant("session.windowOpenedAt", session.windowOpenedAt()),
                instant("session.unansweredSince", session.unansweredSince()));
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidPreviewException(field, "must be an ISO-8601 instant");
        }
    }
}
