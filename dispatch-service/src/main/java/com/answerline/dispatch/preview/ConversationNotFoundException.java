package com.answerline.dispatch.preview;

/**
 * The conversation is not the caller's tenant's (its business number is another tenant's, or the body names another
 * tenant): answered 404 problem details, exactly like a conversation that does not exist, so ids leak nothing.
 */
class ConversationNotFoundException extends RuntimeException {

    ConversationNotFoundException() {
        super("no conversation of this tenant with this id", null, false, false);
    }
}
