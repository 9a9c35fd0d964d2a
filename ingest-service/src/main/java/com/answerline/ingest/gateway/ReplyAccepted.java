package com.answerline.ingest.gateway;

import java.util.Map;

/**
 * 202 body: the command id and where its outcome will be readable. {@code status} is what was accepted, not an
 * outcome: {@code PENDING} for a reply, {@code CANCELLATION_REQUESTED} for a held answer's cancellation.
 */
public record ReplyAccepted(String commandId, String status, Map<String, String> links) {

    static ReplyAccepted pending(String commandId) {
        return new ReplyAccepted(commandId, "PENDING", Map.of("outcome", outcomePath(commandId)));
    }

    static ReplyAccepted cancellationRequested(String commandId) {
        return new ReplyAccepted(commandId, "CANCELLATION_REQUESTED", Map.of("outcome", outcomePath(commandId)));
    }

    static String outcomePath(String commandId) {
        return "/api/v1/replies/" + commandId;
    }
}
