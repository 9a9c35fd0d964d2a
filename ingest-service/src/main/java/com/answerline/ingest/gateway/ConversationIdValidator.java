package com.answerline.ingest.gateway;

import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.conversation.ConversationId;

/**
 * Checks a conversation id from a gateway path; anything wrong is a 400 naming {@code conversationId}.
 *
 * <ul>
 *   <li>A customer key of digits is a phone number: E.164 without the '+', at most 15 digits, a country code
 *       libphonenumber knows and a length possible for that country (the number formats back to itself).</li>
 *   <li>Any other key is a BSUID: two capital letters (country), a dot, an optional {@code ENT.}, then 1 to 128
 *       letters or digits (DOMAIN.md 2a).</li>
 * </ul>
 * "Possible", not libphonenumber's stricter "valid": WhatsApp itself delivered the number, and its test numbers
 * (+1 555 …, also the local stack's demo customers) and newly opened ranges fail "valid". Plain Java, no Spring.
 */
final class ConversationIdValidator {

    static final String FIELD = "conversationId";
    private static final int E164_MAX_DIGITS = 15;
    private static final Pattern BSUID = Pattern.compile("[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}");

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

    ConversationId validate(String value) {
        ConversationId id;
        try {
            id = ConversationId.parse(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException(FIELD, e.getMessage());
        }
        if (id.keyedByPhone()) {
            checkPhone(id.customerKey());
        } else if (!BSUID.matcher(id.customerKey()).matches()) {
            throw new InvalidRequestException(FIELD,
                    "customer key must be E.164 digits without '+' or a BSUID such as US.13491208655302741918");
        }
        return id;
    }

    private void checkPhone(String digits) {
        String refusal = "customer number must be an E.164 number without '+' (country code first, at most "
                + E164_MAX_DIGITS + " digits)";
        if (digits.length() > E164_MAX_DIGITS) {
            throw new InvalidRequestException(FIELD, refusal);
        }
        try {
            PhoneNumber number = phones.parse("+" + digits, "ZZ");
            boolean possible = phones.isPossibleNumberWithReason(number) == ValidationResult.IS_POSSIBLE;
            if (!possible || !phones.format(number, PhoneNumberFormat.E164).equals("+" + digits)) {
                throw new InvalidRequestException(FIELD, refusal);
            }
        } catch (NumberParseException e) {
            throw new InvalidRequestException(FIELD, refusal);
        }
    }
}
