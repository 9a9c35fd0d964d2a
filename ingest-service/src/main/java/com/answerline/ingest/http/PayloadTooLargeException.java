package com.answerline.ingest.http;

/** A request body above the configured limit; answered 413. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limitBytes) {
        super("body exceeds " + limitBytes + " bytes");
    }
}
