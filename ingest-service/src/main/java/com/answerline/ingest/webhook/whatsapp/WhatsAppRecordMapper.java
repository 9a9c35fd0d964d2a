package com.answerline.ingest.webhook.whatsapp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.ProviderError;
import com.answerline.avro.Referral;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.ingest.identity.CustomerNumbers;
import com.answerline.ingest.identity.CustomerResolver;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.webhook.SendReferences;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.Change;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.CustomerMessage;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.MessageStatus;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.topic.Topics;

/**
 * Turns a parsed notification into Kafka records: one {@link InboundMessage} per message and one
 * {@link DeliveryStatus} per status, keyed by conversation id and stamped with WhatsApp's own timestamp.
 * Changes that cannot be given to a tenant are left out and reported with their cause, never guessed (the controller
 * keeps the raw webhook for them on {@code unrouted-webhooks}): a business number no tenant owns, or an
 * {@code entry.id} that is not the WhatsApp Business Account of the tenant owning the number (DOMAIN.md section 2:
 * every entry names its WABA; a signed body whose entry names another tenant's WABA, or none, is not that tenant's).
 *
 * <p>Conversation: the customer's identifiers (phone, BSUID) are resolved through the customer identity
 * directory ({@link CustomerResolver}), so a BSUID-only webhook of a customer first seen with a phone number
 * lands in the same conversation; identifiers not known yet are returned with the request's records.
 *
 * <p>A status whose {@code biz_opaque_callback_data} names our send ({@link SendReferences}) is keyed by the send's
 * conversation and carries its command id and step: it reaches the ledger partition of the send whichever identifier
 * (phone or BSUID) the status reports the customer by.
 *
 * <p>A customer number that is not a possible E.164 number is not a conversation: that message or status goes,
 * unchanged otherwise, to the topic's dead-letter twin with the cause in its headers, and the rest of the
 * request is mapped as usual (one bad item must not make Meta retry, or lose, the good ones).
 *
 * <p>Duplicates: Meta redelivers webhooks, so the same wamid arriving again is normal. The mapping is a
 * function of the payload and the directory, and the directory never re-points an identifier, so a
 * redelivery yields the same key and the same messageId (the wamid) and, for statuses, the same
 * providerMessageId and status. That pair is what makes it harmless downstream: session-service drops an
 * inbound message whose conversation id and wamid it has already folded (its seen-events store in
 * SessionFoldProcessor, kept for the dedup retention, 7 days by default, Meta's redelivery horizon); dispatch
 * acts on reply commands only, never on inbound messages.
 */
public final class WhatsAppRecordMapper {

    private static final String NUMBER_RULE = "customer number " + CustomerNumbers.PHONE_RULE;

    private final TenantDirectory tenants;

    public WhatsAppRecordMapper(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    /**
     * @param records         routed records (the unrouted changes' records are not among them)
     * @param unroutedChanges changes that belong to no tenant
     * @param unrouted        their phone_number_ids with the cause, each pair once, in order of appearance
     */
    public record Mapped(List<OutgoingRecord<?>> records, int unroutedChanges, List<Unrouted> unrouted) {
    }

    /** A phone_number_id of the POST whose changes were not routed, and why. */
    public record Unrouted(String phoneNumberId, UnroutedCause cause) {
    }

    /** Why a change belongs to no tenant; {@link #reason()} is the text kept with the webhook (no customer data). */
    public enum UnroutedCause {
        UNKNOWN_NUMBER("no tenant owns phone_number_id"),
        WABA_MISSING("entry.id (the WABA id) is missing"),
        WABA_MISMATCH("entry.id is not the WABA of the tenant that owns phone_number_id");

        private final String reason;

        UnroutedCause(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** The cause that keeps {@code change} from its tenant; empty when {@code number} owns it. */
    static Optional<UnroutedCause> unrouted(Change change, Optional<BusinessNumber> number) {
        if (number.isEmpty()) {
            return Optional.of(UnroutedCause.UNKNOWN_NUMBER);
        }
        if (change.wabaId() == null) {
            return Optional.of(UnroutedCause.WABA_MISSING);
        }
        return number.get().wabaId().equals(change.wabaId()) ? Optional.empty() : Optional.of(UnroutedCause.WABA_MISMATCH);
    }

    /**
     * @param customers resolves customers to conversations for this request, and collects their new identifiers
     */
    public Mapped map(WhatsAppNotification notification, Instant receivedAt, CustomerResolver customers) {
        List<OutgoingRecord<?>> records = new ArrayList<>();
        int unroutedChanges = 0;
        Set<Unrouted> unrouted = new LinkedHashSet<>();
        for (Change change : notification.changes()) {
            Optional<BusinessNumber> number = tenants.byPhoneNumberId(change.phoneNumberId());
            Optional<UnroutedCause> cause = unrouted(change, number);
            if (cause.isPresent()) {
                // The other changes of the POST are still mapped: a stray entry never costs a good one.
                unroutedChanges++;
                unrouted.add(new Unrouted(change.phoneNumberId(), cause.get()));
                continue;
            }
            String tenantId = number.get().tenantId();
            String phoneNumberId = change.phoneNumberId();
            for (CustomerMessage message : change.messages()) {
                var customer = message.customer();
                boolean validNumber = customer.phone() == null || CustomerNumbers.isPossiblePhone(customer.phone());
                ConversationId conversation = validNumber
                        ? conversation(() -> customers.resolve(tenantId, phoneNumberId, customer.phone(), customer.bsuid(),
                                message.sentAt()), "messages[].user_id")
                        : unresolved(phoneNumberId, customer.phone(), "messages[].from");
                InboundMessage value = inbound(tenantId, phoneNumberId, conversation, message, receivedAt);
                var record = new OutgoingRecord<>(Topics.INBOUND_MESSAGES, value.getConversationId(), message.sentAt(), value);
                records.add(validNumber ? record : record.deadLetter(CustomerNumbers.INVALID_NUMBER_REASON, "from: " + NUMBER_RULE));
            }
            for (MessageStatus status : change.statuses()) {
                boolean validNumber = status.recipientPhone() == null || CustomerNumbers.isPossiblePhone(status.recipientPhone());
                ConversationId conversation = validNumber
                        ? conversation(() -> customers.resolve(tenantId, phoneNumberId, status.recipientPhone(),
                                status.recipientBsuid(), status.occurredAt()), "statuses[].recipient_user_id")
                        : unresolved(phoneNumberId, status.recipientPhone(), "statuses[].recipient_id");
                DeliveryStatus mapped = status(tenantId, phoneNumberId, conversation, status, receivedAt);
                DeliveryStatus value = validNumber ? SendReferences.named(mapped, status.callbackData()) : mapped;
                var record = new OutgoingRecord<>(Topics.DELIVERY_STATUSES, value.getConversationId(), status.occurredAt(), value);
                records.add(validNumber ? record : record.deadLetter(CustomerNumbers.INVALID_NUMBER_REASON, "recipient_id: " + NUMBER_RULE));
            }
        }
        return new Mapped(List.copyOf(records), unroutedChanges, List.copyOf(unrouted));
    }

    private static InboundMessage inbound(String tenantId, String phoneNumberId, ConversationId conversation,
                                          CustomerMessage message, Instant receivedAt) {
        var customer = message.customer();
        Referral referral = message.referral() == null ? null : Referral.newBuilder()
                .setSourceType(message.referral().sourceType())
                .setSourceId(message.referral().sourceId())
                .setSourceUrl(message.referral().sourceUrl())
                .setCtwaClid(message.referral().ctwaClid())
                .build();
        return InboundMessage.newBuilder()
                .setTenantId(tenantId)
                .setConversationId(conversation.toString())
                .setPhoneNumberId(phoneNumberId)
                .setChannel(Channel.WHATSAPP)
                .setMessageId(message.id())
                .setCustomerPhone(customer.phone())
                .setCustomerBsuid(customer.bsuid())
                .setCustomerParentUserId(customer.parentUserId())
                .setCustomerUsername(customer.username())
                .setCustomerProfileName(customer.profileName())
                .setType(message.type())
                .setText(message.text())
                .setDetails(message.details())
                .setContextMessageId(message.contextMessageId())
                .setReferral(referral)
                .setSentAt(message.sentAt())
                .setReceivedAt(receivedAt)
                .build();
    }

    private static DeliveryStatus status(String tenantId, String phoneNumberId, ConversationId conversation,
                                         MessageStatus status, Instant receivedAt) {
        List<ProviderError> errors = status.errors().stream()
                .map(e -> ProviderError.newBuilder().setCode(e.code()).setTitle(e.title()).setMessage(e.message())
                        .setDetails(e.details()).build())
                .toList();
        return DeliveryStatus.newBuilder()
                .setTenantId(tenantId)
                .setConversationId(conversation.toString())
                .setPhoneNumberId(phoneNumberId)
                .setChannel(Channel.WHATSAPP)
                .setProviderMessageId(status.id())
                .setStatus(state(status.status()))
                .setRecipientPhone(status.recipientPhone())
                .setRecipientBsuid(status.recipientBsuid())
                .setErrors(errors)
                .setPricingCategory(status.pricingCategory())
                .setPricingType(status.pricingType())
                .setBillable(status.billable())
                .setOccurredAt(status.occurredAt())
                .setReceivedAt(receivedAt)
                .build();
    }

    private static ConversationId conversation(Supplier<ConversationId> resolution, String field) {
        try {
            return resolution.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }

    /** The key of a dead letter: the business number and the refused number as received (never resolved). */
    private static ConversationId unresolved(String phoneNumberId, String phone, String field) {
        return conversation(() -> new ConversationId(phoneNumberId, phone), field);
    }

    static DeliveryState state(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "sent" -> DeliveryState.SENT;
            case "delivered" -> DeliveryState.DELIVERED;
            case "read" -> DeliveryState.READ;
            case "failed" -> DeliveryState.FAILED;
            default -> DeliveryState.UNKNOWN;
        };
    }
}
