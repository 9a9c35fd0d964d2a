package com.answerline.ingest.client;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What dispatch-service would do with a text reply right now ({@code POST /api/v1/channel-preview}), shown to
 * the agent as is: the chosen option, and every option with its cost. Tolerant reader: fields dispatch adds later
 * are dropped, fields it leaves out stay out.
 *
 * @param channel        WHATSAPP, WHATSAPP_TEMPLATE, SMS, WHATSAPP_DIRECT_SEND (the text marked UTILITY on WhatsApp
 *                       after the window, through Direct Send), or NONE when the reply would be rejected
 * @param reason         the reason dispatch would put on the outcome (WINDOW_OPEN, WINDOW_CLOSED_SMS_FALLBACK, ...)
 * @param outcome        SEND, HOLD or REJECT
 * @param windowOpen     dispatch's view: a window inside its safety margin already counts as closed
 * @param timeLeftMillis negative once expired; null when no window was ever open
 * @param options        every way to answer now, allowed or not; empty from a dispatch that does not list them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplyPreview(String channel, String reason, String outcome, String waitsFor, boolean windowOpen,
                           String windowState, Instant windowExpiresAt, Long timeLeftMillis, String policy,
                           Long sessionVersion, List<String> fallbackChain, List<String> alternatives,
                           List<Option> options) {

    public ReplyPreview {
        options = options == null ? List.of() : List.copyOf(options);
    }

    /**
     * One option (dispatch's {@code preview.ReplyOption}).
     *
     * @param kind     WHATSAPP_FREE_FORM, SMS_WITH_LINK, TEMPLATE, HOLD, or the Direct Send option (its channel
     *                 WHATSAPP_DIRECT_SEND, fallback DIRECT_SEND)
     * @param why      when not allowed: why not (WINDOW_OPEN, WINDOW_CLOSED, NOT_MOBILE, TEMPLATE_NOT_APPROVED, and for
     *                 Direct Send e.g. not marked utility, not enabled for the number, refused ...)
     * @param fallback what the reply body asks for to take it (with {@code template} for TEMPLATE)
     * @param category  the mark the reply body needs to take it (UTILITY for Direct Send), absent otherwise
     * @param whyDetail the decision's own sentence for {@code why} (e.g. "DIRECT_SEND unavailable: not utility")
     * @param note      what the option asks of the agent in one sentence (for Direct Send: what utility means)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Option(String kind, String channel, boolean allowed, String why, String fallback, Sms sms,
                         Template template, Cost estimatedCost, String category, String whyDetail, String note) {
    }

    /** The draft's SMS as dispatch would build it: GSM_7 or UCS_2. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sms(int segments, String encoding) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Template(String name, String language, String category, String body, int parameterCount) {
    }

    /** {@code amount} a decimal string in currency units, {@code amountMicros} the exact integer it comes from. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cost(String currency, String amount, long amountMicros, String basis) {
    }
}
