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
 *   <li>{@value #SUPERVISOR}: assigns anyone, unassigns anyone, whoever holds the conversation;</li>
 *   <li>{@value #AGENT}: takes a conversation for themselves ({@code agentId} = their own id) when nobody holds it
 *       (or they already do), and releases their own (or one nobody holds: nothing changes);</li>
 *   <li>anyone else: 403.</li>
 * </ul>
 * The current assignee is session-service's (the gateway keeps no copy): {@link #checkCurrentAssignee}. A 403 for
 * another agent's conversation names that agent: everyone in the tenant sees assignees in the conversation list
 * already, and the agent learns whom (or which supervisor) to ask.
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

    /** Whether the caller's change depends on who holds the conversation now (a supervisor's never does). */
    static boolean dependsOnCurrentAssignee(Set<String> roles) {
        return !roles.contains(SUPERVISOR);
    }

    /**
     * An agent's take ({@code take} true) or release of a conversation held by {@code currentAssignee} (null: nobody,
     * or session-service does not know the conversation yet): allowed when nobody or the caller holds it; another
     * agent's needs the {@value #SUPERVISOR} role, 403 naming the holder otherwise.
     */
    static void checkCurrentAssignee(String currentAssignee, String callerId, Set<String> roles, boolean take) {
        if (!dependsOnCurrentAssignee(roles) || currentAssignee == null || currentAssignee.equals(callerId)) {
            return;
        }
        throw new ForbiddenActionException((take ? "this conversation is assigned to " + currentAssignee
                + "; taking over another agent's conversation needs the supervisor role"
                : "this conversation is assigned to " + currentAssignee
                + "; releasing another agent's conversation needs the supervisor role"), currentAssignee);
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
