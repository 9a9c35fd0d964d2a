package com.answerline.ingest.gateway;

/** The caller is authenticated and may see the conversation, but their roles do not allow this action. */
class ForbiddenActionException extends RuntimeException {

    ForbiddenActionException(String reason) {
        super(reason, null, false, false);
    }
}
