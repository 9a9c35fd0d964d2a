package com.answerline.ingest.identity;

import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * What a customer identifier may look like, checked the same way wherever one enters: the gateway's paths and
 * the webhooks' customer numbers.
 *
 * <ul>
 *   <li>A phone number is E.164 digits without the '+': at most 15 digits, a country code libphonenumber knows
 *       and a length possible for that country (the number formats back to itself).</li>
 *   <li>A BSUID is two capital letters (country), a dot, an optional {@code ENT.}, then 1 to 128 letters or
 *       digits (DOMAIN.md 2a).</li>
 * </ul>
 * "Possible", not libphonenumber's stricter "valid": WhatsApp itself delivered the number, and its test numbers
 * (+1 555 …, also the local stack's demo customers) and newly opened ranges fail "valid". Plain Java, no Spring.
 */
public final class CustomerNumbers {

    public static final int E164_MAX_DIGITS = 15;
    /** Why a number was refused, for problem details and dead-letter causes. */
    public static final String PHONE_RULE = "must be an E.164 number without '+' (country code first, at most "
            + E164_MAX_DIGITS + " digits, a length possible for that country)";

    /** Dead-letter reason (header and metric) of a webhook item whose customer number fails {@link #isPossiblePhone}. */
    public static final String INVALID_NUMBER_REASON = "invalid-customer-number";

    private static final Pattern BSUID = Pattern.compile("[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private CustomerNumbers() {
    }

    /** True when {@code digits} is a possible E.164 number written as digits only. */
    public static boolean isPossiblePhone(String digits) {
        if (digits == null || digits.isEmpty() || digits.length() > E164_MAX_DIGITS
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        try {
            PhoneNumber number = PHONES.parse("+" + digits, "ZZ");
            return PHONES.isPossibleNumberWithReason(number) == ValidationResult.IS_POSSIBLE
                    && PHONES.format(number, PhoneNumberFormat.E164).equals("+" + digits);
        } catch (NumberParseException e) {
            return false;
        }
    }

    /** True when {@code value} has the shape of a WhatsApp business-scoped user id. */
    public static boolean isBsuid(String value) {
        return value != null && BSUID.matcher(value).matches();
    }
}
