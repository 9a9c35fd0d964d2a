package com.answerline.session.query;

/** A request parameter that cannot be used; the API answers 400 problem details naming {@link #field()}. */
public class InvalidQueryException extends RuntimeException {

    private final String field;

    public InvalidQueryException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The query parameter at fault, as the client spelled it ({@code tenantId}, {@code limit}, ...). */
    public String field() {
        return field;
    }
}
