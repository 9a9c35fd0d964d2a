package com.answerline.ingest.gateway;

import java.time.Instant;

import com.answerline.avro.AssignmentChanged;

/** 202 body of the assignee endpoints: the change as published ({@code assigneeId} null = unassigned). */
public record AssignmentView(String conversationId, String assigneeId, String changedBy, Instant changedAt) {

    static AssignmentView of(AssignmentChanged change) {
        return new AssignmentView(change.getConversationId(), change.getAssigneeId(), change.getChangedBy(),
                change.getChangedAt());
    }
}
