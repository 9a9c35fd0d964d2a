package com.answerline.ingest.gateway;

/** No such conversation for the caller's tenant (whether it exists for another tenant is not said). */
class ConversationNotFoundException extends RuntimeException {

    ConversationNotFoundException() {
        super("no such conversation", null, false, false);
    }
}
