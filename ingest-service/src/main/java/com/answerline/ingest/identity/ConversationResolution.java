package com.answerline.ingest.identity;

import java.util.Optional;

import com.answerline.schemas.conversation.ConversationId;

/**
 * Which conversation a webhook's customer belongs to, given what the identity directory already knows about
 * their identifiers (DOMAIN.md 2a). Plain Java: the rule, no store.
 *
 * <ol>
 *   <li>A known BSUID decides: it is WhatsApp's stable identity of the customer, while phone numbers get
 *       recycled (a known number with a different BSUID is someone else's old number, or the same customer
 *       who changed numbers; either way the BSUID is the person).</li>
 *   <li>Else a known phone number decides (an SMS, or a webhook before usernames existed).</li>
 *   <li>Else a new conversation: keyed by the phone digits when present, else by the BSUID.</li>
 * </ol>
 * Identifiers of the message the directory does not know yet are to be written, pointing at the chosen
 * conversation; a known identifier is never re-pointed, even when it disagrees ({@link #conflict()}).
 *
 * @param conversation the conversation the message or status belongs to
 * @param phoneIsNew   the phone number is present and not in the directory yet: write it
 * @param bsuidIsNew   the BSUID is present and not in the directory yet: write it
 * @param conflict     phone and BSUID are both known but lead to different conversations (the BSUID's won)
 */
public record ConversationResolution(ConversationId conversation, boolean phoneIsNew, boolean bsuidIsNew,
                                     boolean conflict) {

    /**
     * @param phone             the customer's phone digits, or null (username-only customer)
     * @param bsuid             the customer's BSUID, or null (SMS, or a webhook from before 2026)
     * @param phoneConversation the conversation id the directory maps the phone number to, if any
     * @param bsuidConversation the conversation id the directory maps the BSUID to, if any
     */
    public static ConversationResolution resolve(String phoneNumberId, String phone, String bsuid,
                                                 Optional<String> phoneConversation,
                                                 Optional<String> bsuidConversation) {
        boolean hasPhone = phone != null && !phone.isBlank();
        boolean hasBsuid = bsuid != null && !bsuid.isBlank();
        if (!hasPhone && !hasBsuid) {
            throw new IllegalArgumentException("a customer needs a phone number or a BSUID");
        }
        Optional<String> byPhone = hasPhone ? phoneConversation : Optional.empty();
        Optional<String> byBsuid = hasBsuid ? bsuidConversation : Optional.empty();
        ConversationId conversation;
        if (byBsuid.isPresent()) {
            conversation = ConversationId.parse(byBsuid.get());
        } else if (byPhone.isPresent()) {
            conversation = ConversationId.parse(byPhone.get());
        } else {
            conversation = ConversationId.of(phoneNumberId, hasPhone ? phone : null, bsuid);
        }
        boolean conflict = byPhone.isPresent() && byBsuid.isPresent() && !byPhone.get().equals(byBsuid.get());
        return new ConversationResolution(conversation, hasPhone && byPhone.isEmpty(), hasBsuid && byBsuid.isEmpty(),
                conflict);
    }
}
