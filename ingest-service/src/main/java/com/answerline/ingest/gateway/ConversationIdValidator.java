package com.answerline.ingest.gateway;

import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.ingest.identity.CustomerNumbers;
import com.answerline.schemas.conversation.ConversationId;

/**
 * Checks a conversation id from a gateway path; anything wrong is a 400 naming {@code conversationId}. A customer
 * key of digits must be a possible E.164 number, any other key a BSUID ({@link CustomerNumbers} has the rules,
 * shared with the webhooks). Plain Java, no Spring.
 */
final class ConversationIdValidator {

    static final String FIELD = "conversationId";

    ConversationId validate(String value) {
        ConversationId id;
        try {
            id = ConversationId.parse(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException(FIELD, e.getMessage());
        }
        if (id.keyedByPhone()) {
            if (!CustomerNumbers.isPossiblePhone(id.customerKey())) {
                throw new InvalidRequestException(FIELD, "customer number " + CustomerNumbers.PHONE_RULE);
            }
        } else if (!CustomerNumbers.isBsuid(id.customerKey())) {
            throw new InvalidRequestException(FIELD,
                    "customer key must be E.164 digits without '+' or a BSUID such as US.13491208655302741918");
        }
        return id;
    }
}
