package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.answerline.avro.AssignmentChanged;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.conversation.ConversationId;

class AssignmentsTest {

    @Test
    void shouldLetAnAgentTakeAConversationOnlyForThemselves() {
        assertThat(Assignments.assignee(new AssigneeRequest("alice"), "alice", Set.of("agent"))).isEqualTo("alice");
        assertThatThrownBy(() -> Assignments.assignee(new AssigneeRequest("bob"), "alice", Set.of("agent")))
                .isInstanceOf(ForbiddenActionException.class);
    }

    @Test
    void shouldLetASupervisorAssignAnyone() {
        assertThat(Assignments.assignee(new AssigneeRequest("bob"), "sue", Set.of("supervisor"))).isEqualTo("bob");
    }

    @Test
    void shouldRefuseCallersWithNeitherRole() {
        assertThatThrownBy(() -> Assignments.assignee(new AssigneeRequest("alice"), "alice", Set.of("viewer")))
                .isInstanceOf(ForbiddenActionException.class);
        assertThatThrownBy(() -> Assignments.checkUnassign(Set.of("viewer"))).isInstanceOf(ForbiddenActionException.class);
        assertThatCode(() -> Assignments.checkUnassign(Set.of("agent"))).doesNotThrowAnyException();
        assertThatCode(() -> Assignments.checkUnassign(Set.of("supervisor"))).doesNotThrowAnyException();
    }

    @Test
    void shouldNameAgentIdWhenItIsMissingOrTooLong() {
        assertThatThrownBy(() -> Assignments.assignee(new AssigneeRequest(" "), "sue", Set.of("supervisor")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("agentId"));
        assertThatThrownBy(() -> Assignments.assignee(null, "sue", Set.of("supervisor")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("agentId"));
        assertThatThrownBy(() -> Assignments.assignee(new AssigneeRequest("a".repeat(129)), "sue", Set.of("supervisor")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("agentId"));
    }

    @Test
    void shouldDescribeAnUnassignmentWithANullAssignee() {
        Instant at = Instant.parse("2026-11-25T12:00:00Z");
        AssignmentChanged change = Assignments.change("demo", ConversationId.parse("100000000000001:31612345678"), null, "sue", at);
        assertThat(change.getAssigneeId()).isNull();
        assertThat(change.getConversationId()).isEqualTo("100000000000001:31612345678");
        assertThat(change.getChangedBy()).isEqualTo("sue");
        assertThat(change.getChangedAt()).isEqualTo(at);
    }
}
