package com.answerline.ingest.gateway;

/**
 * The caller is authenticated and may see the conversation, but their roles do not allow this action.
 * {@link #assigneeId()} names the agent who holds the conversation when that is why (null otherwise).
 */
class ForbiddenActionException extends RuntimeException {

    private final String assigneeId;

    ForbiddenActionException(String reason) {
        this(reason, null);
    }

    ForbiddenActionException(String reason, String assigneeId) {
        super(reason, null, false, false);
        this.assigneeId = assigneeId;
    }

    String assigneeId() {
        return assigneeId;
    }
}
