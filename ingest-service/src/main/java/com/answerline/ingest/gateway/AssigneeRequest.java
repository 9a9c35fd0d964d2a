package com.answerline.ingest.gateway;

/** Body of {@code PUT /api/v1/conversations/{id}/assignee}: the agent who takes the conversation. */
public record AssigneeRequest(String agentId) {
}
