package com.answerline.dispatch.preview;

/** A preview body that cannot be decided; answered 400 with problem details naming {@code field}. */
class InvalidPreviewException extends RuntimeException {

    private final String field;

    InvalidPreviewException(String field, String reason) {
        super(field + ": " + reason, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
