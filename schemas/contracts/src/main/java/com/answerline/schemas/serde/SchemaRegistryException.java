package com.answerline.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A registry call that failed. {@link #retriable()} is true when the registry could not be reached or
 * answered 5xx; then the caller should retry. 4xx answers (40401 subject not found, 40403 schema not found,
 * 409 incompatible, 42201 invalid schema) are not retriable.
 */
public class SchemaRegistryException extends SerializationException {

    private final int status;
    private final int errorCode;
    private final boolean retriable;

    public SchemaRegistryException(int status, int errorCode, String message, boolean retriable) {
        this(status, errorCode, message, retriable, null);
    }

    public SchemaRegistryException(int status, int errorCode, String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.retriable = retriable;
    }

    /** HTTP status, or 0 when the registry was not reached. */
    public int status() {
        return status;
    }

    /** The registry's error code (40401, 40403, 409, 42201, ...), or 0. */
    public int errorCode() {
        return errorCode;
    }

    public boolean retriable() {
        return retriable;
    }
}
