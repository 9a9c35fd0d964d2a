package com.answerline.schemas.conversation;

import java.util.Objects;

/**
 * A conversation between one business number and one customer, and the key of every conversation topic:
 * {@code <phone_number_id>:<customer key>}. The customer key is the customer's phone number in digits
 * when the first contact carries one, otherwise their business-scoped user id (BSUID, e.g.
 * {@code US.13491208655302741918}). Neither part contains a colon.
 */
public record ConversationId(String phoneNumberId, String customerKey) {

    public ConversationId {
        requirePart(phoneNumberId, "phoneNumberId");
        requirePart(customerKey, "customerKey");
        if (!phoneNumberId.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("phoneNumberId must be digits");
        }
    }

    /** Parses {@code <phone_number_id>:<customer key>}; throws {@link IllegalArgumentException} with the reason. */
    public static ConversationId parse(String value) {
        Objects.requireNonNull(value, "conversation id");
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("conversation id must be <phone_number_id>:<customer key>");
        }
        return new ConversationId(value.substring(0, colon), value.substring(colon + 1));
    }

    /** The conversation of a customer: by phone digits when known, else by BSUID. */
    public static ConversationId of(String phoneNumberId, String customerPhoneDigits, String customerBsuid) {
        String key = customerPhoneDigits != null && !customerPhoneDigits.isBlank() ? customerPhoneDigits : customerBsuid;
        return new ConversationId(phoneNumberId, key);
    }

    /** True when the customer key is a phone number (digits), false when it is a BSUID. */
    public boolean keyedByPhone() {
        return customerKey.chars().allMatch(Character::isDigit);
    }

    @Override
    public String toString() {
        return phoneNumberId + ':' + customerKey;
    }

    private static void requirePart(String part, String name) {
        if (part == null || part.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (part.indexOf(':') >= 0) {
            throw new IllegalArgumentException(name + " must not contain ':'");
        }
    }
}
