package com.answerline.dispatch.decision;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Whether a customer number can take an SMS, by libphonenumber's number type (DOMAIN.md section 4: SMS goes to
 * mobile numbers only).
 *
 * <p>The rule: a number that libphonenumber knows as valid must be MOBILE or FIXED_LINE_OR_MOBILE (the North
 * American plan does not tell the two apart); a valid number of any other type (landline, toll-free, premium,
 * VoIP, pager, ...) gets no SMS. A number libphonenumber cannot validate (unknown ranges, the fictional 555
 * numbers of the demo) is not refused here: the type is unknown, not "landline", and the SMS provider is the final
 * judge. Numbers come as digits of an E.164 number (WhatsApp's {@code wa_id}), without the {@code +}.
 */
public final class SmsNumbers {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private SmsNumbers() {
    }

    /** False only for a valid number of a type that cannot receive an SMS. */
    public static boolean mobileOrUnknown(String digits) {
        PhoneNumber number;
        try {
            number = PHONES.parse("+" + digits.replaceAll("\\D", ""), null);
        } catch (NumberParseException e) {
            return true;
        }
        if (!PHONES.isValidNumber(number)) {
            return true;
        }
        PhoneNumberType type = PHONES.getNumberType(number);
        return type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE;
    }
}
