package com.answerline.ingest.webhook.whatsapp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.ProviderError;
import com.answerline.avro.Referral;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.tenant.BusinessNumber;
import com.answerline.ingest.tenant.TenantDirectory;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.Change;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.CustomerMessage;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.MessageStatus;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.topic.Topics;

/**
 * Turns a parsed notification into Kafka records: one {@link InboundMessage} per message and one
 * {@link DeliveryStatus} per status, keyed by conversation id and stamped with WhatsApp's own timestamp.
 * Changes for a business number that no tenant owns are left out and reported, never guessed (the controller
 * keeps the raw webhook for them on {@code unrouted-webhooks}).
 */
public final class WhatsAppRecordMapper {

    private final TenantDirectory tenants;

    public WhatsAppRecordMapper(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    /**
     * @param records                routed records (the unrouted changes' records are not among them)
     * @param unroutedChanges        changes whose phone_number_id belongs to no tenant
     * @param unroutedPhoneNumberIds those phone_number_ids, each once, in order of appearance
     */
    public record Mapped(List<OutgoingRecord<?>> records, int unroutedChanges, List<String> unroutedPhoneNumberIds) {
    }

    public Mapped map(WhatsAppNotification notification, Instant receivedAt) {
        List<OutgoingRecord<?>> records = new ArrayList<>();
        int unrouted = 0;
        Set<String> unroutedIds = new LinkedHashSet<>();
        for (Change change : notification.changes()) {
            Optional<BusinessNumber> number = tenants.byPhoneNumberId(change.phoneNumberId());
            if (number.isEmpty()) {
                // The other changes of the POST are still mapped: a stray entry never costs a good one.
                unrouted++;
                unroutedIds.add(change.phoneNumberId());
                continue;
            }
            String tenantId = number.get().tenantId();
            for (CustomerMessage message : change.messages()) {
                InboundMessage value = inbound(tenantId, change.phoneNumberId(), message, receivedAt);
                records.add(new OutgoingRecord<>(Topics.INBOUND_MESSAGES, value.getConversationId(), message.sentAt(), value));
            }
            for (MessageStatus status : change.statuses()) {
                DeliveryStatus value = status(tenantId, change.phoneNumberId(), status, receivedAt);
                records.add(new OutgoingRecord<>(Topics.DELIVERY_STATUSES, value.getConversationId(), status.occurredAt(), value));
            }
        }
        return new Mapped(List.copyOf(records), unrouted, List.copyOf(unroutedIds));
    }

    private static InboundMessage inbound(String tenantId, String phoneNumberId, CustomerMessage message, Instant receivedAt) {
        var customer = message.customer();
        // Keyed by phone when the webhook carries one, else by BSUID. Joining both identifiers of one customer
        // (a customer directory) comes with issue 3.
        ConversationId conversation = conversation(phoneNumberId, customer.phone(), customer.bsuid(), "messages[].user_id");
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

    private static DeliveryStatus status(String tenantId, String phoneNumberId, MessageStatus status, Instant receivedAt) {
        ConversationId conversation = conversation(phoneNumberId, status.recipientPhone(), status.recipientBsuid(),
                "statuses[].recipient_user_id");
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

    private static ConversationId conversation(String phoneNumberId, String phone, String bsuid, String field) {
        try {
            return ConversationId.of(phoneNumberId, phone, bsuid);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
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
