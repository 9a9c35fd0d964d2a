package com.answerline.ingest.http;

/**
 * A request that is malformed or lacks a field we cannot do without; answered 400 with problem details that
 * name {@code field} (a JSON path such as {@code entry[0].changes[0].value.messages[1].timestamp}).
 */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String reason) {
        super(field == null ? reason : field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String reason() {
        String message = getMessage();
        return field == null ? message : message.substring(field.length() + 2);
    }
}
