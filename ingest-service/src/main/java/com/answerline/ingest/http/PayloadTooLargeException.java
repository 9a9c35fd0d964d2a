package com.answerline.ingest.http;

/** A request body above the configured limit, or one whose records are larger than their topic accepts; answered 413. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limitBytes) {
        super("body exceeds " + limitBytes + " bytes");
    }

    public PayloadTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
