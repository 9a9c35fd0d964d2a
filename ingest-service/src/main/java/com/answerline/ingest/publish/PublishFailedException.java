package com.answerline.ingest.publish;

/** Kafka did not acknowledge every record in time: the caller answers 503 so the sender retries. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
