package com.answerline.ingest.client;

/**
 * The provider could not give a media file: it refused (an error answer), did not answer in time, pointed the download
 * at a host the token may not go to, or the file is larger than the gateway streams. The agent gets 502: the fault is
 * upstream, and a retry may or may not help ({@link #tooLarge()} never does). The message names what went wrong in the
 * provider's terms (status, Meta error code), never the conversation or the customer.
 */
public class MediaProviderException extends RuntimeException {

    private final boolean tooLarge;

    MediaProviderException(String message, boolean tooLarge) {
        super(message, null, false, false);
        this.tooLarge = tooLarge;
    }

    static MediaProviderException failed(String message) {
        return new MediaProviderException(message, false);
    }

    static MediaProviderException tooLarge(long size, long limit) {
        return new MediaProviderException("the file is " + (size < 0 ? "more than " + limit : size)
                + " bytes, above the gateway's limit of " + limit + " bytes", true);
    }

    /** The file is larger than the gateway streams (answered with its own problem type). */
    public boolean tooLarge() {
        return tooLarge;
    }
}
