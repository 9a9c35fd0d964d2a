package com.answerline.sandbox.whatsapp;

import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A Direct Send request (Cloud API reference of 2026-07-31): a free-form text with {@code "category":"utility"}, which
 * an eligible business may send outside the customer-service window, and its optional {@code "ttl"}: how many seconds
 * WhatsApp keeps trying to deliver it, 30 to 43,200 (12 h). Here the parameter rules as Meta checks them; whether the
 * business may use it is {@link DirectSendStatus}.
 *
 * @param ttlSeconds the request's time to live, null when it gave none
 */
public record DirectSend(Integer ttlSeconds) {

    public static final int MIN_TTL_SECONDS = 30;
    public static final int MAX_TTL_SECONDS = 43_200;

    /** Whether the request asks for Direct Send (it has a {@code category}), valid or not: what a count of attempts counts. */
    public static boolean requested(JsonNode request) {
        return !request.path("category").isMissingNode() && !request.path("category").isNull();
    }

    /**
     * The request's Direct Send, empty for an ordinary message.
     *
     * @param type the message type ({@code text}, {@code template}, ...)
     * @throws CloudApiException 100 (invalid parameter) for a category other than {@code utility}, a category on a
     *         message that is not a text, a {@code ttl} that is not a whole number of seconds from 30 to 43,200, or a
     *         {@code ttl} without a category
     */
    public static Optional<DirectSend> of(JsonNode request, String type) {
        JsonNode ttl = request.path("ttl");
        boolean hasTtl = !ttl.isMissingNode() && !ttl.isNull();
        if (!requested(request)) {
            if (hasTtl) {
                throw new CloudApiException(CloudApiError.invalidParameter(
                        "Param ttl is only allowed on a Direct Send message (with category)."));
            }
            return Optional.empty();
        }
        JsonNode category = request.path("category");
        if (!category.isString() || !"utility".equals(category.stringValue().toLowerCase(Locale.ROOT))) {
            throw new CloudApiException(CloudApiError.invalidParameter(
                    "Param category must be \"utility\" (the sandbox emulates Direct Send of utility messages)."));
        }
        if (!"text".equals(type)) {
            throw new CloudApiException(CloudApiError.invalidParameter(
                    "Param category is only allowed on a message of type text, not " + type + "."));
        }
        return Optional.of(new DirectSend(hasTtl ? ttlSeconds(ttl) : null));
    }

    /** A whole number of seconds in range, given as a JSON number or a string of digits (the Graph API takes both). */
    private static int ttlSeconds(JsonNode ttl) {
        long seconds;
        if (ttl.isIntegralNumber() && ttl.canConvertToLong()) {
            seconds = ttl.longValue();
        } else if (ttl.isString() && ttl.stringValue().matches("[0-9]{1,9}")) {
            seconds = Long.parseLong(ttl.stringValue());
        } else {
            seconds = -1;
        }
        if (seconds < MIN_TTL_SECONDS || seconds > MAX_TTL_SECONDS) {
            throw new CloudApiException(CloudApiError.invalidParameter("Param ttl must be a whole number of seconds from "
                    + MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS + "."));
        }
        return (int) seconds;
    }
}
