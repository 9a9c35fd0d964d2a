package com.answerline.sandbox.whatsapp;

import com.answerline.sandbox.fault.FaultMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An error as the Cloud API reports it. Clients must act on {@code code}, so the codes here are
 * Meta's; the texts only help a human reading the sandbox's answer.
 */
public record CloudApiError(int httpStatus, int code, String type, String message, String details) {

    public static CloudApiError invalidAccessToken() {
        return new CloudApiError(401, 190, "OAuthException",
                "Invalid OAuth access token - Cannot parse access token", null);
    }

    public static CloudApiError unknownObject(String id) {
        return new CloudApiError(400, 100, "GraphMethodException",
                "Unsupported post request. Object with ID '" + id + "' does not exist, cannot be loaded due to"
                        + " missing permissions, or does not support this operation",
                null);
    }

    /** A media id the Cloud API does not know (or no longer keeps), on retrieval. */
    public static CloudApiError unknownMedia(String id) {
        return new CloudApiError(404, 100, "GraphMethodException",
                "Unsupported get request. Object with ID '" + id + "' does not exist, cannot be loaded due to"
                        + " missing permissions, or does not support this operation",
                null);
    }

    /** A media download URL whose signature does not hold or that expired (they live for minutes). */
    public static CloudApiError mediaUrlRefused(String reason) {
        return new CloudApiError(403, 100, "OAuthException", reason, "Retrieve a new URL with GET /{media-id}.");
    }

    public static CloudApiError invalidParameter(String details) {
        return new CloudApiError(400, 100, "OAuthException", "(#100) Invalid parameter", details);
    }

    public static CloudApiError missingParameter(String details) {
        return new CloudApiError(400, 131008, "OAuthException", "(#131008) Required parameter is missing", details);
    }

    public static CloudApiError invalidParameterValue(String details) {
        return new CloudApiError(400, 131009, "OAuthException", "(#131009) Parameter value is not valid", details);
    }

    public static CloudApiError reEngagementMessage() {
        return new CloudApiError(400, 131047, "OAuthException", "(#131047) Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the customer last replied"
                        + " to this number.");
    }

    /** A Direct Send from an account that is not eligible for it (synchronous; nothing is sent). */
    public static CloudApiError directSendNotEnabled() {
        return new CloudApiError(400, 100, "OAuthException", "(#100) Direct Send isn't enabled for this account",
                "Direct Send isn't enabled for this account. Send a template outside the customer service window.");
    }

    /** A Direct Send from an account whose access was blocked (synchronous; nothing is sent). */
    public static CloudApiError directSendBlocked() {
        return new CloudApiError(400, 139200, "OAuthException",
                "(#139200) Direct Send utility or authentication access is blocked",
                "Direct Send utility or authentication access is blocked for this account.");
    }

    public static CloudApiError templateParameterMismatch(String details) {
        return new CloudApiError(400, 132000, "OAuthException",
                "(#132000) Number of parameters does not match the expected number of params", details);
    }

    /**
     * A body parameter WhatsApp will not put into a template: a new-line or tab character or more than four
     * consecutive spaces (132018, the code of template parameter problems since Graph API v23.0).
     */
    public static CloudApiError templateParameterFormat() {
        return new CloudApiError(400, 132018, "OAuthException",
                "(#132018) There was an issue with the parameters in your template.",
                "Param text cannot have new-line/tab characters or more than 4 consecutive spaces");
    }

    public static CloudApiError templateDoesNotExist(String name, String language) {
        return new CloudApiError(404, 132001, "OAuthException",
                "(#132001) Template name does not exist in the translation",
                "template name (" + name + ") does not exist in " + language);
    }

    public static CloudApiError templatePaused(String name) {
        return new CloudApiError(400, 132015, "OAuthException", "(#132015) Template is paused",
                "Template " + name + " is paused due to low quality so it cannot be sent.");
    }

    public static CloudApiError templateDisabled(String name) {
        return new CloudApiError(400, 132016, "OAuthException", "(#132016) Template is disabled",
                "Template " + name + " has been paused too many times due to low quality and is now"
                        + " permanently disabled.");
    }

    public static CloudApiError unknownError() {
        return new CloudApiError(500, 131000, "OAuthException", "(#131000) Something went wrong",
                "Something went wrong (sandbox fault)");
    }

    public static CloudApiError rateLimitHit() {
        return new CloudApiError(429, 130429, "OAuthException", "(#130429) Rate limit hit",
                "Cloud API message throughput has been reached (sandbox fault)");
    }

    public static CloudApiError timedOut() {
        return new CloudApiError(504, 131000, "OAuthException", "(#131000) Something went wrong",
                "Request timed out (sandbox fault)");
    }

    /** The error a switched fault answers with, empty for the modes that are not an error answer. */
    public static Optional<CloudApiError> ofFault(FaultMode fault) {
        return switch (fault) {
            case HTTP_500 -> Optional.of(unknownError());
            case HTTP_429 -> Optional.of(rateLimitHit());
            case TIMEOUT -> Optional.of(timedOut());
            default -> Optional.empty();
        };
    }

    /** Meta's error envelope: {"error":{"message","type","code","error_data":{"details"},"fbtrace_id"}}. */
    public Map<String, Object> toBody() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        if (details != null) {
            Map<String, Object> errorData = new LinkedHashMap<>();
            errorData.put("messaging_product", "whatsapp");
            errorData.put("details", details);
            error.put("error_data", errorData);
        }
        error.put("fbtrace_id", "A" + UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        return Map.of("error", error);
    }

    /** The same error as it appears in a failed status webhook's errors[]. */
    public Map<String, Object> toStatusError() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("title", message);
        error.put("message", message);
        error.put("error_data", Map.of("details", details == null ? message : details));
        return error;
    }
}
