package com.answerline.ingest.gateway;

import java.time.Instant;
import java.util.Set;

import com.answerline.avro.AssignmentChanged;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.conversation.ConversationId;

/**
 * Who may assign whom, and the {@link AssignmentChanged} event. No Spring, no Kafka.
 *
 * <ul>
 *   <li>{@value #SUPERVISOR}: assigns anyone, unassigns anyone;</li>
 *   <li>{@value #AGENT}: takes a conversation for themselves ({@code agentId} = their own id) and releases it;</li>
 *   <li>anyone else: 403.</li>
 * </ul>
 * An agent's release is not checked against the current assignee: ingest keeps no conversation state. That
 * check belongs with the session reads (issue 3, section 3) once the gateway reads session-service's state.
 */
final class Assignments {

    static final String AGENT = "agent";
    static final String SUPERVISOR = "supervisor";
    /** Agent ids are the token's {@code sub}; anything far longer is not one. */
    static final int MAX_AGENT_ID_LENGTH = 128;

    private Assignments() {
    }

    /** The assignee of a PUT, checked against the caller's roles; 400 naming {@code agentId} or 403. */
    static String assignee(AssigneeRequest request, String callerId, Set<String> roles) {
        if (request == null || request.agentId() == null || request.agentId().isBlank()) {
            throw new InvalidRequestException("agentId", "is required");
        }
        String agentId = request.agentId();
        if (agentId.length() > MAX_AGENT_ID_LENGTH) {
            throw new InvalidRequestException("agentId", "must be at most " + MAX_AGENT_ID_LENGTH + " characters");
        }
        if (roles.contains(SUPERVISOR)) {
            return agentId;
        }
        if (roles.contains(AGENT)) {
            if (agentId.equals(callerId)) {
                return agentId;
            }
            throw new ForbiddenActionException("agents may assign a conversation only to themselves");
        }
        throw new ForbiddenActionException("assigning needs the agent or supervisor role");
    }

    /** A DELETE: agents release, supervisors unassign; anyone else gets 403. */
    static void checkUnassign(Set<String> roles) {
        if (!roles.contains(SUPERVISOR) && !roles.contains(AGENT)) {
            throw new ForbiddenActionException("unassigning needs the agent or supervisor role");
        }
    }

    /** {@code assigneeId} null = unassigned. */
    static AssignmentChanged change(String tenantId, ConversationId conversation, String assigneeId, String changedBy,
                                    Instant changedAt) {
        return AssignmentChanged.newBuilder()
                .setTenantId(tenantId)
                .setConversationId(conversation.toString())
                .setAssigneeId(assigneeId)
                .setChangedBy(changedBy)
                .setChangedAt(changedAt)
                .build();
    }
}
