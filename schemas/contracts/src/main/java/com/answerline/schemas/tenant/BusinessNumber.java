package com.answerline.schemas.tenant;

/**
 * A business number: its WhatsApp phone_number_id, its number in digits (the SMS sender and receiver of the
 * same business), its WhatsApp Business Account and owning tenant.
 */
public record BusinessNumber(String tenantId, String phoneNumberId, String displayNumber, String wabaId) {

    /** Digits of an E.164 number, "+15550000001" -> "15550000001"; null stays null. */
    public static String digits(String number) {
        if (number == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder(number.length());
        number.chars().filter(Character::isDigit).forEach(c -> digits.append((char) c));
        return digits.toString();
    }
}
