package com.answerline.ingest.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.TemplateRef;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.conversation.ConversationId;

/**
 * Validates an agent's reply and turns it into a {@link ReplyCommand}. No Spring, no Kafka: the rules are
 * tested as plain Java.
 */
public final class ReplyCommands {

    /** WhatsApp's limit for a text body. */
    static final int MAX_TEXT_LENGTH = 4096;
    static final int MAX_TEMPLATE_PARAMETERS = 32;
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private ReplyCommands() {
    }

    /** Checks the body; the first violation is reported with its field. */
    public static void validate(ReplyRequest request) {
        if (request == null) {
            throw new InvalidRequestException(null, "a JSON body is required");
        }
        boolean hasText = request.text() != null && !request.text().isBlank();
        if (!hasText && request.template() == null) {
            throw new InvalidRequestException("text", "text or template is required");
        }
        if (request.text() != null && request.text().codePointCount(0, request.text().length()) > MAX_TEXT_LENGTH) {
            throw new InvalidRequestException("text", "must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        if (request.template() != null) {
            var template = request.template();
            if (template.name() == null || template.name().isBlank()) {
                throw new InvalidRequestException("template.name", "is required");
            }
            if (template.language() == null || template.language().isBlank()) {
                throw new InvalidRequestException("template.language", "is required");
            }
            List<String> parameters = template.parameters() == null ? List.of() : template.parameters();
            if (parameters.size() > MAX_TEMPLATE_PARAMETERS) {
                throw new InvalidRequestException("template.parameters", "at most " + MAX_TEMPLATE_PARAMETERS + " parameters");
            }
            if (parameters.stream().anyMatch(p -> p == null)) {
                throw new InvalidRequestException("template.parameters", "must not contain null");
            }
        }
        fallback(request.fallback());
    }

    static FallbackPolicy fallback(String value) {
        if (value == null) {
            return FallbackPolicy.AUTO;
        }
        try {
            return FallbackPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("fallback", "must be one of AUTO, SMS, TEMPLATE, TEMPLATE_THEN_HOLD, NONE");
        }
    }

    /**
     * The command id: random, or derived from the client's Idempotency-Key, scoped to tenant, agent and
     * conversation, so that a replayed request carries the same command id. Consumers deduplicate on it.
     */
    public static String commandId(String tenantId, String agentId, ConversationId conversation, String idempotencyKey) {
        if (idempotencyKey == null) {
            return UUID.randomUUID().toString();
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new InvalidRequestException("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        // Length-prefixed parts, so ("a:b", "c") and ("a", "b:c") cannot collide.
        String scope = String.join("|", List.of(tenantId, agentId, conversation.toString(), idempotencyKey).stream()
                .map(p -> p.length() + ":" + p).toList());
        return UUID.nameUUIDFromBytes(("reply-command|" + scope).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static ReplyCommand command(String commandId, String tenantId, ConversationId conversation, String agentId,
                                       String agentName, ReplyRequest request, Instant issuedAt) {
        TemplateRef template = request.template() == null ? null : TemplateRef.newBuilder()
                .setName(request.template().name())
                .setLanguage(request.template().language())
                .setParameters(request.template().parameters() == null ? List.of() : request.template().parameters())
                .build();
        boolean hasText = request.text() != null && !request.text().isBlank();
        return ReplyCommand.newBuilder()
                .setCommandId(commandId)
                .setTenantId(tenantId)
                .setConversationId(conversation.toString())
                .setAgentId(agentId)
                .setAgentName(agentName)
                .setText(hasText ? request.text() : null)
                .setTemplate(template)
                .setFallback(fallback(request.fallback()))
                .setIssuedAt(issuedAt)
                .build();
    }
}
