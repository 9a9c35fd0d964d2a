package com.answerline.dispatch.pricing;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The country a message is priced in: the ISO 3166 region of the recipient's phone number, from Google's
 * numbering metadata (libphonenumber) rather than an own prefix table. WhatsApp and the SMS providers price by
 * the recipient's number, not by where the business is.
 */
public final class RecipientRegion {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final String UNKNOWN = "ZZ";

    private RecipientRegion() {
    }

    /**
     * @param e164Digits the recipient as E.164 digits, with or without '+'; null for a BSUID-only customer
     * @return the region code (e.g. DE), or null when there is no number or no region can be told
     */
    public static String of(String e164Digits) {
        if (e164Digits == null || e164Digits.isBlank()) {
            return null;
        }
        try {
            PhoneNumber number = PHONES.parse(e164Digits.startsWith("+") ? e164Digits : "+" + e164Digits, UNKNOWN);
            String region = PHONES.getRegionCodeForNumber(number);
            if (region == null || UNKNOWN.equals(region)) {
                // A number that is not "valid" in any region sharing its country code (test ranges such as
                // +1 555, newly opened ranges): the country code's main region prices it.
                region = PHONES.getRegionCodeForCountryCode(number.getCountryCode());
            }
            return UNKNOWN.equals(region) ? null : region;
        } catch (NumberParseException e) {
            return null;
        }
    }
}
