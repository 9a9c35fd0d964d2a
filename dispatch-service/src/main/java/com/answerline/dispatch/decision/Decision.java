package com.answerline.dispatch.decision;

import com.answerline.avro.Channel;

/** The result of deciding one reply: something to send, or an explicit rejection. Never silence. */
public sealed interface Decision {

    /** Machine-readable reason, e.g. WINDOW_OPEN, WINDOW_CLOSED_SMS_FALLBACK, WINDOW_CLOSED. */
    String reason();

    Explanation explanation();

    /**
     * Send on {@code channel}. {@code text} is what the customer will see (free-form text, SMS body, or the
     * rendered template when its body is known).
     */
    record Send(Channel channel, String recipientPhone, String recipientBsuid, String text, TemplateMessage template,
                String reason, Explanation explanation) implements Decision {
    }

    /** Nothing allowed could be sent; the explanation lists the alternatives. */
    record Reject(String reason, Explanation explanation) implements Decision {
    }
}
