package com.answerline.dispatch.preview;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.answerline.schemas.thread.ThreadItem;

/**
 * One way the agent could answer right now, with what it would cost: the preview lists every option, the allowed
 * ones and the others with why not, so a composer can offer the first and grey out the rest.
 *
 * @param kind          WHATSAPP_FREE_FORM, WHATSAPP_DIRECT_SEND (the agent's UTILITY text on WhatsApp outside the
 *                      window, through Direct Send), SMS_WITH_LINK, TEMPLATE (one per template of the tenant) or HOLD
 *                      (the invitation template now, the answer held until the customer writes: TEMPLATE_THEN_HOLD)
 * @param channel       the channel it goes out on (WHATSAPP, WHATSAPP_DIRECT_SEND, SMS, WHATSAPP_TEMPLATE)
 * @param allowed       dispatch would send it, asked now with {@code fallback}
 * @param why           when not allowed: WINDOW_OPEN (a fallback goes only once the window closed), WINDOW_CLOSING,
 *                      WINDOW_CLOSED, WINDOW_NEVER_OPENED, NO_CUSTOMER_PHONE, NOT_MOBILE, TOO_MANY_SEGMENTS, for
 *                      Direct Send NOT_ENABLED, REFUSED_NOT_ENABLED, REFUSED_BLOCKED, NOT_UTILITY, or the reason a
 *                      reply would be rejected with (UNKNOWN_CONVERSATION, TEMPLATE_NOT_APPROVED, ...)
 * @param fallback      what the reply command asks for to take this option (with {@code template} for TEMPLATE)
 * @param sms           SMS_WITH_LINK with a draft: the segments and encoding of the SMS dispatch would build
 * @param template      TEMPLATE and HOLD: the template
 * @param estimatedCost what it would cost sent now, by the price list in force today
 * @param category      what the reply command marks its text as to take this option (UTILITY for
 *                      WHATSAPP_DIRECT_SEND); null when it need not
 * @param whyDetail     when not allowed, the decision's sentence for it where {@code why} alone does not say it all
 *                      (e.g. "DIRECT_SEND unavailable: refused 139200 at ..., re-check at ..."); null otherwise
 * @param note          what the agent should know to choose it (WHATSAPP_DIRECT_SEND: what utility means); null
 *                      otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplyOption(String kind, String channel, boolean allowed, String why, String fallback, Sms sms,
                          Template template, ThreadItem.Cost estimatedCost, String category, String whyDetail,
                          String note) {

    /** An option that needs no category and says nothing more than {@code why}. */
    public ReplyOption(String kind, String channel, boolean allowed, String why, String fallback, Sms sms,
                       Template template, ThreadItem.Cost estimatedCost) {
        this(kind, channel, allowed, why, fallback, sms, template, estimatedCost, null, null, null);
    }

    /** @param encoding GSM_7 or UCS_2 */
    public record Sms(int segments, String encoding) {
    }

    /**
     * @param category MARKETING, UTILITY, AUTHENTICATION as the provider's template list says; null when unknown
     * @param body     with its {{1}}, {{2}}, ... placeholders; null when unknown
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Template(String name, String language, String category, String body, int parameterCount) {
    }
}
