package com.answerline.dispatch.send;

import com.answerline.avro.DispatchOutcome;

/**
 * A send whose provider answer was lost (a read timeout after the request went out, a connection reset): the provider
 * may have accepted the message, so it is neither resent nor failed. It has no outcome yet, only the one it gets once
 * a delivery status proves it accepted ({@link #ifAccepted}); {@link SendReconciler} publishes PENDING
 * SEND_STATE_UNKNOWN meanwhile.
 */
public final class InDoubtSendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient DispatchOutcome ifAccepted;

    public InDoubtSendException(DispatchOutcome ifAccepted) {
        super("the provider's answer was lost for command " + ifAccepted.getCommandId() + " step " + ifAccepted.getStep(),
                null, false, false);
        this.ifAccepted = ifAccepted;
    }

    /** SENT (or an invitation's HELD) as it would have been, without the provider message id. */
    public DispatchOutcome ifAccepted() {
        return ifAccepted;
    }
}
