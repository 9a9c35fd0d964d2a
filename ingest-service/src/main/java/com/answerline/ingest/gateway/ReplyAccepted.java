package com.answerline.ingest.gateway;

import java.util.Map;

/** 202 body: the command id and where its outcome will be readable. */
public record ReplyAccepted(String commandId, String status, Map<String, String> links) {

    static ReplyAccepted pending(String commandId) {
        return new ReplyAccepted(commandId, "PENDING", Map.of("outcome", outcomePath(commandId)));
    }

    static String outcomePath(String commandId) {
        return "/api/v1/replies/" + commandId;
    }
}
