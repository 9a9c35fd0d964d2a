package com.answerline.ingest.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.answerline.avro.ContentCategory;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.ReplyAcceptance;
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
    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    static final String CLIENT_COMMAND_ID = "clientCommandId";
    static final String CATEGORY = "category";
    /** What a {@code UTILITY} mark says of a text; the one sentence the API docs and the console show. */
    static final String UTILITY_MEANING = "UTILITY: the text is about a transaction, an order, a booking or an "
            + "account the customer already has (a status, a confirmation, an answer to the customer's own request), "
            + "with no promotion; only such a text may go on WhatsApp through Direct Send after the window closed.";
    /** The fallback policies a reply may ask for, as the contract has them. */
    static final String FALLBACKS = String.join(", ", Arrays.stream(FallbackPolicy.values()).map(Enum::name).toList());

    private ReplyCommands() {
    }

    /**
     * A client's idempotency key and where it came from ({@value #IDEMPOTENCY_KEY_HEADER} or
     * {@value #CLIENT_COMMAND_ID}), so that refusals name what the client sent.
     */
    public record IdempotencyKey(String value, String field) {
    }

    /** 400 naming {@code text} when it is longer than a reply may be (also the limit of a draft previewed). */
    static void requireTextWithinLimit(String text) {
        if (text != null && text.codePointCount(0, text.length()) > MAX_TEXT_LENGTH) {
            throw new InvalidRequestException("text", "must be at most " + MAX_TEXT_LENGTH + " characters");
        }
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
        requireTextWithinLimit(request.text());
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
        category(request.category());
    }

    static FallbackPolicy fallback(String value) {
        if (value == null) {
            return FallbackPolicy.AUTO;
        }
        try {
            return FallbackPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("fallback", "must be one of " + FALLBACKS);
        }
    }

    /**
     * The author's mark of a reply: {@code UTILITY} (case and surrounding spaces do not matter) or null when not
     * marked. Anything else, {@code UNSPECIFIED} included (the contract's default for readers, not a mark), is a 400
     * naming {@value #CATEGORY}.
     */
    static ContentCategory category(String value) {
        if (value == null) {
            return null;
        }
        if (!ContentCategory.UTILITY.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
            throw new InvalidRequestException(CATEGORY, "must be UTILITY, or left out when the text is not utility");
        }
        return ContentCategory.UTILITY;
    }

    /**
     * The client's idempotency key: the {@value #IDEMPOTENCY_KEY_HEADER} header, else the body's
     * {@code clientCommandId}; null when neither is given. Both given and different is a 400 (which one would
     * the client mean?), as is a key outside 1 to {@value #MAX_IDEMPOTENCY_KEY_LENGTH} characters.
     */
    public static IdempotencyKey idempotencyKey(String header, String clientCommandId) {
        if (header != null && clientCommandId != null && !header.equals(clientCommandId)) {
            throw new InvalidRequestException(CLIENT_COMMAND_ID, "differs from the " + IDEMPOTENCY_KEY_HEADER
                    + " header; send one of them, or the same value in both");
        }
        String field = header != null ? IDEMPOTENCY_KEY_HEADER : CLIENT_COMMAND_ID;
        String value = header != null ? header : clientCommandId;
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new InvalidRequestException(field, "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        return new IdempotencyKey(value, field);
    }

    /**
     * The command id: random without a key; with one, derived from it, scoped to tenant, agent and
     * conversation, so that a replayed request names the same command (and the same {@code reply-acceptances}
     * record, which decides whether it is a replay).
     */
    public static String commandId(String tenantId, String agentId, ConversationId conversation, IdempotencyKey key) {
        if (key == null) {
            return UUID.randomUUID().toString();
        }
        return UUID.nameUUIDFromBytes(("reply-command|" + canonical(tenantId, agentId, conversation.toString(), key.value()))
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * SHA-256 (hex) of the validated request in canonical form: what the command will carry, not how the JSON
     * was spelled. Blank text counts as no text, missing template parameters as none, the fallback by its policy
     * ({@code "sms "} = {@code SMS}, absent = {@code AUTO}), the category by its symbol and only when marked (so the
     * fingerprint of a request without one is what it was before categories existed: a replay across the upgrade is
     * still a replay); the idempotency key itself is not part of it. Call after {@link #validate}.
     */
    public static String fingerprint(ReplyRequest request) {
        boolean hasText = request.text() != null && !request.text().isBlank();
        List<String> parts = new ArrayList<>();
        parts.add("reply-request/1");
        parts.add(hasText ? request.text() : null);
        if (request.template() == null) {
            parts.add(null);
        } else {
            List<String> parameters = request.template().parameters() == null ? List.of() : request.template().parameters();
            parts.add("template");
            parts.add(request.template().name());
            parts.add(request.template().language());
            parts.add(Integer.toString(parameters.size()));
            parts.addAll(parameters);
        }
        parts.add(fallback(request.fallback()).name());
        ContentCategory category = category(request.category());
        if (category != null) {
            parts.add(CATEGORY);
            parts.add(category.name());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical(parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Length-prefixed parts ({@code ~} for null), so ("a:b", "c") and ("a", "b:c") cannot collide. */
    private static String canonical(String... parts) {
        return canonical(Arrays.asList(parts));
    }

    private static String canonical(List<String> parts) {
        return String.join("|", parts.stream().map(p -> p == null ? "~" : p.length() + ":" + p).toList());
    }

    /** What {@code reply-acceptances} keeps of a reply accepted under an idempotency key. */
    public static ReplyAcceptance acceptance(ReplyCommand command, String fingerprint) {
        return ReplyAcceptance.newBuilder()
                .setCommandId(command.getCommandId())
                .setTenantId(command.getTenantId())
                .setConversationId(command.getConversationId())
                .setAgentId(command.getAgentId())
                .setRequestFingerprint(fingerprint)
                .setAcceptedAt(command.getIssuedAt())
                .build();
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
                .setCategory(category(request.category()))
                .setIssuedAt(issuedAt)
                .build();
    }
}
