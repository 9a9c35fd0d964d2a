package com.answerline.ingest.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.answerline.avro.CustomerIdentity;
import com.answerline.avro.IdentifierKind;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.topic.Topics;

/**
 * Resolves the customers of ONE webhook request to their conversations ({@link ConversationResolution}) and
 * collects the identifiers the directory does not know yet, as {@code customer-identities} records to publish
 * together with the request's own records: the provider's 200 then also means the mapping is durable.
 * Identifiers collected earlier in the same request count as known (a batch may carry a new customer's
 * phone-only message and then one with phone and BSUID). Not thread-safe: one per request.
 */
public final class CustomerResolver {

    private final Function<String, Optional<String>> directory;
    private final Map<String, CustomerIdentity> collected = new LinkedHashMap<>();
    private int conflicts;

    /** @param directory identity key ({@link CustomerIdentities#key}) -> conversation id, when known */
    public CustomerResolver(Function<String, Optional<String>> directory) {
        this.directory = directory;
    }

    /**
     * @param phone  the customer's phone digits (already checked), or null
     * @param bsuid  the customer's BSUID, or null
     * @param seenAt the event time of the message or status, kept as the identifiers' first sighting
     */
    public ConversationId resolve(String tenantId, String phoneNumberId, String phone, String bsuid, Instant seenAt) {
        String phoneKey = phone == null ? null : CustomerIdentities.key(phoneNumberId, phone);
        String bsuidKey = bsuid == null ? null : CustomerIdentities.key(phoneNumberId, bsuid);
        ConversationResolution resolution = ConversationResolution.resolve(phoneNumberId, phone, bsuid,
                lookUp(phoneKey), lookUp(bsuidKey));
        String conversation = resolution.conversation().toString();
        if (resolution.conflict()) {
            conflicts++;
        }
        if (resolution.phoneIsNew()) {
            collected.put(phoneKey, identity(tenantId, phoneNumberId, IdentifierKind.PHONE, phone, conversation, seenAt));
        }
        if (resolution.bsuidIsNew()) {
            collected.put(bsuidKey, identity(tenantId, phoneNumberId, IdentifierKind.BSUID, bsuid, conversation, seenAt));
        }
        return resolution.conversation();
    }

    /** The new identifiers as records for {@code customer-identities}, in order of first sighting. */
    public List<OutgoingRecord<CustomerIdentity>> records() {
        List<OutgoingRecord<CustomerIdentity>> records = new ArrayList<>(collected.size());
        collected.forEach((key, identity) -> records.add(
                new OutgoingRecord<>(Topics.CUSTOMER_IDENTITIES, key, identity.getFirstSeenAt(), identity)));
        return records;
    }

    /** Identifier key -> conversation id of the new identifiers. */
    public Map<String, String> newIdentities() {
        Map<String, String> identities = new LinkedHashMap<>();
        collected.forEach((key, identity) -> identities.put(key, identity.getConversationId()));
        return identities;
    }

    /** How many customers of this request had a phone and a BSUID known for different conversations. */
    public int conflicts() {
        return conflicts;
    }

    private Optional<String> lookUp(String key) {
        if (key == null) {
            return Optional.empty();
        }
        CustomerIdentity pending = collected.get(key);
        return pending != null ? Optional.of(pending.getConversationId()) : directory.apply(key);
    }

    private static CustomerIdentity identity(String tenantId, String phoneNumberId, IdentifierKind kind,
                                             String identifier, String conversationId, Instant seenAt) {
        return CustomerIdentity.newBuilder()
                .setTenantId(tenantId)
                .setPhoneNumberId(phoneNumberId)
                .setKind(kind)
                .setIdentifier(identifier)
                .setConversationId(conversationId)
                .setFirstSeenAt(seenAt)
                .build();
    }
}
