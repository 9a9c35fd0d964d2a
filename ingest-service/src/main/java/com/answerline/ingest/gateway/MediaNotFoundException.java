package com.answerline.ingest.gateway;

/** The media id is not one of the conversation's (or the conversation is another tenant's: the same answer). */
class MediaNotFoundException extends RuntimeException {

    MediaNotFoundException() {
        super("no such media in this conversation", null, false, false);
    }
}
