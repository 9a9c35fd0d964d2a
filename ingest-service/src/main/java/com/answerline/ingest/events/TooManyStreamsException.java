package com.answerline.ingest.events;

/** This instance already serves its maximum of event streams: answered 503, the client retries later or elsewhere. */
public class TooManyStreamsException extends RuntimeException {

    TooManyStreamsException(int max) {
        super("this instance serves its maximum of " + max + " event streams; retry later", null, false, false);
    }
}
