package com.answerline.ingest.webhook;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.avro.DeliveryStatus;
import com.answerline.schemas.send.SendReference;

/**
 * Puts the send a provider status names onto its {@link DeliveryStatus}: WhatsApp's {@code biz_opaque_callback_data}
 * or the {@value SendReference#QUERY_PARAMETER} parameter of our Twilio StatusCallback URL, both a
 * {@link SendReference} written by dispatch. The status then carries the command id and step, and its conversation
 * (its key, hence its partition) is the send's, not the one resolved from the recipient: it reaches the ledger
 * partition of the send, and the thread of the conversation the reply is in, even when the customer was addressed by
 * BSUID and the status reports the phone, or the reverse.
 *
 * <p>Anything else is ignored, never an error: no reference, another system's callback data on the same WhatsApp
 * account, a malformed or later-version text, or a reference naming a conversation of another business number than the
 * status's (only our own sends of that number may re-key a status). The status is then published as before.
 */
public final class SendReferences {

    private static final Logger log = LoggerFactory.getLogger(SendReferences.class);

    private SendReferences() {
    }

    /** The status with the send {@code reference} names, or unchanged (see the class comment). */
    public static DeliveryStatus named(DeliveryStatus status, String reference) {
        if (reference == null) {
            return status;
        }
        Optional<SendReference> named = SendReference.parse(reference)
                .filter(r -> r.conversationId().phoneNumberId().equals(status.getPhoneNumberId()));
        if (named.isEmpty()) {
            // The text may be another system's: never logged.
            log.debug("{} status with a reference that is not one of our sends of this business number; matched as before",
                    status.getChannel());
            return status;
        }
        return DeliveryStatus.newBuilder(status)
                .setConversationId(named.get().conversationId().toString())
                .setCommandId(named.get().commandId())
                .setStep(named.get().step())
                .build();
    }
}
