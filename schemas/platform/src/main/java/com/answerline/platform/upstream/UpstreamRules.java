package com.answerline.platform.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * What a record on an upstream-facing topic must satisfy before any service folds, joins or sends it: the one
 * place these rules live. Records are read through their Avro schema, so every contract keyed by conversation id
 * (they all carry {@code tenantId} and {@code conversationId}) is checked the same way:
 * <ol>
 *   <li>the key is the record's {@code conversationId};</li>
 *   <li>the id is {@code <phone_number_id>:<customer key>}, and a {@code phoneNumberId} field equals its prefix;</li>
 *   <li>a tenant owns that business number, and it is the record's {@code tenantId};</li>
 *   <li>required strings are not blank; strings are at most {@value #DEFAULT_MAX_LENGTH} characters, text at most
 *       its limit ({@link #TEXT_LIMITS});</li>
 *   <li>times ({@code timestamp-millis} fields) are after {@link #WHATSAPP_EPOCH} and at most the clock skew ahead.</li>
 * </ol>
 * The first rule broken is reported, with the field (or {@code key}) that broke it; never the value, which may be
 * a phone number or a customer's words.
 */
public final class UpstreamRules {

    /** The longest id, name or other short string a record may carry. */
    public static final int DEFAULT_MAX_LENGTH = 1024;

    /**
     * Text limits by {@code <record>.<field>}: a reply is sent as a WhatsApp text, whose body the Cloud API limits to
     * 4,096 characters; a customer's own message may be as long as WhatsApp lets them type (65,536).
     */
    public static final Map<String, Integer> TEXT_LIMITS = Map.of(
            "ReplyCommand.text", 4_096,
            "InboundMessage.text", 65_536);

    /** Nothing on these topics happened before WhatsApp existed (founded 2009). */
    public static final Instant WHATSAPP_EPOCH = Instant.parse("2009-01-01T00:00:00Z");

    /** How far ahead of this service's clock a time may be: clocks of other systems drift, not by more. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    /** A broken rule and the field that broke it ({@code key} for the record key). */
    public record Violation(UpstreamRule rule, String field) {
        public Violation {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(field, "field");
        }
    }

    private final TenantDirectory tenants;
    private final Clock clock;
    private final Duration maxClockSkew;

    public UpstreamRules(TenantDirectory tenants, Clock clock, Duration maxClockSkew) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    }

    public UpstreamRules(TenantDirectory tenants, Clock clock) {
        this(tenants, clock, DEFAULT_MAX_CLOCK_SKEW);
    }

    /** The first rule {@code value} under {@code key} breaks, or empty when it may be processed. */
    public Optional<Violation> check(String key, SpecificRecord value) {
        return check(key, value, clock.instant());
    }

    /**
     * The same, against {@code now} instead of this object's clock: a Kafka Streams processor passes its task's
     * wall-clock time, which the test driver controls.
     */
    public Optional<Violation> check(String key, SpecificRecord value, Instant now) {
        Schema schema = value.getSchema();
        String conversationId = text(value, schema, "conversationId");
        if (key == null || !key.equals(conversationId)) {
            return violation(UpstreamRule.KEY_NOT_CONVERSATION_ID, "key");
        }
        ConversationId id;
        try {
            id = ConversationId.parse(conversationId);
        } catch (IllegalArgumentException malformed) {
            return violation(UpstreamRule.MALFORMED_CONVERSATION_ID, "conversationId");
        }
        if (schema.getField("phoneNumberId") != null
                && !id.phoneNumberId().equals(text(value, schema, "phoneNumberId"))) {
            return violation(UpstreamRule.PHONE_NUMBER_ID_NOT_IN_CONVERSATION, "phoneNumberId");
        }
        Optional<BusinessNumber> number = tenants.byPhoneNumberId(id.phoneNumberId());
        if (number.isEmpty()) {
            return violation(UpstreamRule.UNKNOWN_BUSINESS_NUMBER, "conversationId");
        }
        if (!number.get().tenantId().equals(text(value, schema, "tenantId"))) {
            return violation(UpstreamRule.TENANT_DOES_NOT_OWN_NUMBER, "tenantId");
        }
        for (Schema.Field field : schema.getFields()) {
            Optional<Violation> broken = checkField(schema.getName(), field, value.get(field.pos()), now);
            if (broken.isPresent()) {
                return broken;
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> checkField(String record, Schema.Field field, Object value, Instant now) {
        Schema type = field.schema();
        boolean optional = false;
        if (type.isUnion() && type.getTypes().size() == 2 && type.getTypes().get(0).getType() == Schema.Type.NULL) {
            type = type.getTypes().get(1);
            optional = true;
        }
        if (type.getType() == Schema.Type.STRING) {
            if (value == null) {
                return Optional.empty();
            }
            String string = value.toString();
            if (!optional && string.isBlank()) {
                return violation(UpstreamRule.BLANK_FIELD, field.name());
            }
            int limit = TEXT_LIMITS.getOrDefault(record + '.' + field.name(), DEFAULT_MAX_LENGTH);
            return string.length() > limit ? violation(UpstreamRule.FIELD_TOO_LONG, field.name()) : Optional.empty();
        }
        if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis && value != null) {
            Instant time = value instanceof Instant instant ? instant : Instant.ofEpochMilli((Long) value);
            if (time.isBefore(WHATSAPP_EPOCH)) {
                return violation(UpstreamRule.TIME_BEFORE_WHATSAPP, field.name());
            }
            if (time.isAfter(now.plus(maxClockSkew))) {
                return violation(UpstreamRule.TIME_IN_FUTURE, field.name());
            }
        }
        return Optional.empty();
    }

    private static String text(SpecificRecord value, Schema schema, String fieldName) {
        Schema.Field field = schema.getField(fieldName);
        Object text = field == null ? null : value.get(field.pos());
        return text == null ? null : text.toString();
    }

    private static Optional<Violation> violation(UpstreamRule rule, String field) {
        return Optional.of(new Violation(rule, field));
    }
}
