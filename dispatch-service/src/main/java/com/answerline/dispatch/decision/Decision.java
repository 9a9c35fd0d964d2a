package com.answerline.dispatch.decision;

import com.answerline.avro.Channel;
import com.answerline.avro.OutcomeReason;

/** The result of deciding one reply: something to send (now, or an invitation now and the answer later), or an explicit rejection. Never silence. */
public sealed interface Decision {

    /** Machine-readable reason, e.g. WINDOW_OPEN, WINDOW_CLOSED_SMS_FALLBACK, WINDOW_CLOSED: the outcome's. */
    OutcomeReason reason();

    Explanation explanation();

    /**
     * Send on {@code channel}. {@code text} is what the customer will see (free-form text, SMS body, or the
     * rendered template when its body is known).
     */
    record Send(Channel channel, String recipientPhone, String recipientBsuid, String text, TemplateMessage template,
                OutcomeReason reason, Explanation explanation) implements Decision {

        Send withExplanation(Explanation other) {
            return new Send(channel, recipientPhone, recipientBsuid, text, template, reason, other);
        }
    }

    /**
     * TEMPLATE_THEN_HOLD outside the window: send {@code invitation} (the tenant's default invitation template, already
     * checked) now and keep the agent's text until the customer writes back, when it goes out as WhatsApp
     * free-form. Its own kind rather than a Send with a flag, so that no caller can send the invitation and forget
     * to keep the answer.
     */
    record Hold(Send invitation) implements Decision {

        @Override
        public OutcomeReason reason() {
            return OutcomeReason.WINDOW_CLOSED_ANSWER_HELD;
        }

        @Override
        public Explanation explanation() {
            return invitation.explanation();
        }
    }

    /** Nothing allowed could be sent; the explanation lists the alternatives. */
    record Reject(OutcomeReason reason, Explanation explanation) implements Decision {
    }
}
