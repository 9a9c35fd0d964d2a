package com.answerline.schemas.outcome;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;

/**
 * The reason of a {@link DispatchOutcome}, whenever it was written. Every reader of an outcome's reason asks here
 * rather than reading a field: outcomes written before {@code outcomeReason} existed read it as its default,
 * {@link OutcomeReason#UNSPECIFIED}, and carry their reason only in the deprecated string field {@code reason},
 * parsed here and nowhere else. Such outcomes outlive the outcome topic's retention in the stores built from it
 * (ingest's reply outcomes, dispatch's send ledger migration), so this fallback stays.
 */
public final class OutcomeReasons {

    private OutcomeReasons() {
    }

    /**
     * The outcome's reason: {@code outcomeReason}, or for an outcome written before it, the string field's symbol;
     * {@link OutcomeReason#UNSPECIFIED} when neither names one (a string no release ever wrote).
     */
    public static OutcomeReason of(DispatchOutcome outcome) {
        OutcomeReason reason = outcome.getOutcomeReason();
        if (reason != null && reason != OutcomeReason.UNSPECIFIED) {
            return reason;
        }
        return parse(outcome.getReason());
    }

    /** A reason's symbol name as written in the string field, or UNSPECIFIED. */
    static OutcomeReason parse(String name) {
        if (name == null) {
            return OutcomeReason.UNSPECIFIED;
        }
        try {
            return OutcomeReason.valueOf(name);
        } catch (IllegalArgumentException e) {
            return OutcomeReason.UNSPECIFIED;
        }
    }
}
