package com.answerline.ingest.webhook.sms;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.ProviderError;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.ingest.identity.CustomerNumbers;
import com.answerline.ingest.identity.CustomerResolver;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.webhook.SendReferences;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.send.SendReference;
import com.answerline.schemas.topic.Topics;

/**
 * Twilio's form fields to Kafka records. The business side of an SMS is the tenant's display number, paired
 * with its WhatsApp phone_number_id; the customer's number is resolved through the customer identity directory
 * ({@link CustomerResolver}): an SMS answer to our fallback lands in the same conversation as the customer's
 * WhatsApp messages, even when that conversation is keyed by their BSUID.
 *
 * <p>A customer number that is not a possible E.164 number goes to the topic's dead-letter twin with the cause
 * in its headers (the webhook is still answered 200: Twilio's retry would bring the same number).
 *
 * <p>Duplicates: Twilio retries a callback it got no answer to; the copy carries the same MessageSid as message
 * id, and lands in the same conversation (identifiers are never re-pointed). Its sentAt is its own receipt time
 * (Twilio sends none), so session-service recognises an SMS copy by conversation and MessageSid at any time within
 * its dedup retention, not at the first copy's time (session-service README, "Why a separate dedup store").
 */
public final class SmsRecordMapper {

    private static final String NUMBER_RULE = "customer number " + CustomerNumbers.PHONE_RULE;

    private final TenantDirectory tenants;

    public SmsRecordMapper(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    /** An inbound SMS; empty when the "To" number belongs to no tenant. Twilio sends no send time: ours stands in. */
    public Optional<OutgoingRecord<InboundMessage>> inbound(Map<String, String> form, Instant receivedAt,
                                                            CustomerResolver customers) {
        String to = require(form, "To");
        String from = require(form, "From");
        String sid = require(form, "MessageSid");
        Optional<BusinessNumber> number = tenants.byDisplayNumber(to);
        if (number.isEmpty()) {
            return Optional.empty();
        }
        String customer = BusinessNumber.digits(from);
        boolean valid = CustomerNumbers.isPossiblePhone(customer);
        ConversationId conversation = conversation(number.get(), customer, valid, receivedAt, customers);
        InboundMessage value = InboundMessage.newBuilder()
                .setTenantId(number.get().tenantId())
                .setConversationId(conversation.toString())
                .setPhoneNumberId(number.get().phoneNumberId())
                .setChannel(Channel.SMS)
                .setMessageId(sid)
                .setCustomerPhone(customer.isEmpty() ? null : customer)
                .setType("text")
                .setText(form.getOrDefault("Body", ""))
                .setSentAt(receivedAt)
                .setReceivedAt(receivedAt)
                .build();
        var record = new OutgoingRecord<>(Topics.INBOUND_MESSAGES, conversation.toString(), receivedAt, value);
        return Optional.of(valid ? record : record.deadLetter(CustomerNumbers.INVALID_NUMBER_REASON, "From: " + NUMBER_RULE));
    }

    /**
     * A status callback of one of our SMS: "From" is the business, "To" the customer; the callback URL's
     * {@value SendReference#QUERY_PARAMETER} query parameter (in {@code query}) names the send (see
     * {@link SendReferences}).
     */
    public Optional<OutgoingRecord<DeliveryStatus>> status(Map<String, String> form, Map<String, String> query,
                                                           Instant receivedAt, CustomerResolver customers) {
        String sid = require(form, "MessageSid");
        String state = require(form, "MessageStatus");
        String to = require(form, "To");
        String from = require(form, "From");
        Optional<BusinessNumber> number = tenants.byDisplayNumber(from);
        if (number.isEmpty()) {
            return Optional.empty();
        }
        String customer = BusinessNumber.digits(to);
        boolean valid = CustomerNumbers.isPossiblePhone(customer);
        ConversationId conversation = conversation(number.get(), customer, valid, receivedAt, customers);
        List<ProviderError> errors = errors(form.get("ErrorCode"), form.get("ErrorMessage"));
        DeliveryStatus status = DeliveryStatus.newBuilder()
                .setTenantId(number.get().tenantId())
                .setConversationId(conversation.toString())
                .setPhoneNumberId(number.get().phoneNumberId())
                .setChannel(Channel.SMS)
                .setProviderMessageId(sid)
                .setStatus(state(state))
                .setRecipientPhone(customer.isEmpty() ? null : customer)
                .setErrors(errors)
                .setOccurredAt(receivedAt)
                .setReceivedAt(receivedAt)
                .build();
        DeliveryStatus value = valid ? SendReferences.named(status, query.get(SendReference.QUERY_PARAMETER)) : status;
        var record = new OutgoingRecord<>(Topics.DELIVERY_STATUSES, value.getConversationId(), receivedAt, value);
        return Optional.of(valid ? record : record.deadLetter(CustomerNumbers.INVALID_NUMBER_REASON, "To: " + NUMBER_RULE));
    }

    static DeliveryState state(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "queued", "accepted", "scheduled", "sending" -> DeliveryState.QUEUED;
            case "sent" -> DeliveryState.SENT;
            case "delivered" -> DeliveryState.DELIVERED;
            case "read" -> DeliveryState.READ;
            case "undelivered" -> DeliveryState.UNDELIVERED;
            case "failed" -> DeliveryState.FAILED;
            default -> DeliveryState.UNKNOWN;
        };
    }

    private static List<ProviderError> errors(String code, String message) {
        if (code == null || code.isBlank()) {
            return List.of();
        }
        try {
            return List.of(ProviderError.newBuilder().setCode(Integer.parseInt(code.trim())).setMessage(message).build());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("ErrorCode", "must be an integer");
        }
    }

    /** The customer's conversation; for a refused number (a dead letter) the number as received, unresolved. */
    private static ConversationId conversation(BusinessNumber number, String customer, boolean valid,
                                               Instant seenAt, CustomerResolver customers) {
        if (!valid) {
            return new ConversationId(number.phoneNumberId(), customer.isEmpty() ? "unknown" : customer);
        }
        return customers.resolve(number.tenantId(), number.phoneNumberId(), customer, null, seenAt);
    }

    private static String require(Map<String, String> form, String field) {
        String value = form.get(field);
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "is required");
        }
        return value;
    }
}
