package com.answerline.session.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import com.answerline.session.window.Session;

class SessionListQueryTest {

    private static final Duration LEAD = Duration.ofHours(1);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void shouldDefaultToEveryWindowStateFiftyItemsFromTheStart() {
        SessionListQuery query = parse("acme", null, null, null, null, null, null);

        assertThat(query).isEqualTo(new SessionListQuery("acme", null, null, null, false, 50, null));
    }

    @Test
    void shouldTakeTheExpiringLeadWhenExpiringComesWithoutWithin() {
        assertThat(parse("acme", "expiring", null, null, null, null, null).within()).isEqualTo(LEAD);
        assertThat(parse("acme", "expiring", "PT30M", null, null, null, null).within())
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(parse("acme", "expiring", "P1D", null, null, null, null).within()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void shouldNameTheParameterItCannotUse() {
        assertField(() -> parse(null, null, null, null, null, null, null), "tenantId");
        assertField(() -> parse(" ", null, null, null, null, null, null), "tenantId");
        assertField(() -> parse("acme", "OPEN", null, null, null, null, null), "window");
        assertField(() -> parse("acme", "soon", null, null, null, null, null), "window");
        assertField(() -> parse("acme", "open", "PT1H", null, null, null, null), "within");
        assertField(() -> parse("acme", null, "PT1H", null, null, null, null), "within");
        assertField(() -> parse("acme", "expiring", "1h", null, null, null, null), "within");
        assertField(() -> parse("acme", "expiring", "PT0S", null, null, null, null), "within");
        assertField(() -> parse("acme", "expiring", "-PT1H", null, null, null, null), "within");
        assertField(() -> parse("acme", "expiring", "PT24H1S", null, null, null, null), "within");
        assertField(() -> parse("acme", null, null, "", null, null, null), "assignee");
        assertField(() -> parse("acme", null, null, "agent-1", "true", null, null), "assignee");
        assertField(() -> parse("acme", null, null, null, "yes", null, null), "unassigned");
        assertField(() -> parse("acme", null, null, null, null, "0", null), "limit");
        assertField(() -> parse("acme", null, null, null, null, "201", null), "limit");
        assertField(() -> parse("acme", null, null, null, null, "ten", null), "limit");
        assertField(() -> parse("acme", null, null, null, null, null, "!!"), "cursor");
    }

    @Test
    void shouldAcceptTheLimitsBoundsAndAnAssigneeWithUnassignedFalse() {
        assertThat(parse("acme", null, null, null, null, "1", null).limit()).isEqualTo(1);
        assertThat(parse("acme", null, null, null, null, "200", null).limit()).isEqualTo(200);
        assertThat(parse("acme", null, null, "agent-1", "false", null, null).assignee()).isEqualTo("agent-1");
    }

    @Test
    void shouldSelectByWindowStateAtTheQueryTime() {
        // Given sessions ending later, within the lead, exactly now, earlier, and one that never had a window
        Session later = session("1:later", NOW.plus(Duration.ofHours(5)), null);
        Session soon = session("1:soon", NOW.plus(LEAD), null);
        Session endsNow = session("1:now", NOW, null);
        Session ended = session("1:ended", NOW.minusSeconds(1), null);
        Session smsOnly = session("1:sms", null, null);

        SessionListQuery open = parse("acme", "open", null, null, null, null, null);
        SessionListQuery expiring = parse("acme", "expiring", null, null, null, null, null);
        SessionListQuery closed = parse("acme", "closed", null, null, null, null, null);

        // Then open = ends after now; expiring = open and ends within the lead (inclusive); closed = the rest
        assertThat(open.matches(later, NOW)).isTrue();
        assertThat(open.matches(soon, NOW)).isTrue();
        assertThat(open.matches(endsNow, NOW)).isFalse();
        assertThat(expiring.matches(soon, NOW)).isTrue();
        assertThat(expiring.matches(later, NOW)).isFalse();
        assertThat(expiring.matches(endsNow, NOW)).isFalse();
        assertThat(closed.matches(endsNow, NOW)).isTrue();
        assertThat(closed.matches(ended, NOW)).isTrue();
        assertThat(closed.matches(smsOnly, NOW)).isTrue();
        assertThat(closed.matches(later, NOW)).isFalse();
    }

    @Test
    void shouldSelectByTenantAndAssignee() {
        Session mine = session("1:a", NOW.plusSeconds(60), "agent-1");
        Session theirs = session("1:b", NOW.plusSeconds(60), "agent-2");
        Session nobodys = session("1:c", NOW.plusSeconds(60), null);

        SessionListQuery byAgent = parse("acme", null, null, "agent-1", null, null, null);
        SessionListQuery unassigned = parse("acme", null, null, null, "true", null, null);

        assertThat(byAgent.matches(mine, NOW)).isTrue();
        assertThat(byAgent.matches(theirs, NOW)).isFalse();
        assertThat(unassigned.matches(nobodys, NOW)).isTrue();
        assertThat(unassigned.matches(mine, NOW)).isFalse();
        assertThat(parse("globex", null, null, null, null, null, null).matches(mine, NOW)).isFalse();
    }

    @Test
    void shouldPassAsParametersThatReadBackToTheSameQuery() {
        // Given a query with every parameter set
        String cursor = new SessionSortKey(NOW, "1:a").toCursor();
        SessionListQuery query = parse("acme & co+", "expiring", "PT20M", null, "true", "7", cursor);

        // Then its parameters parse back to an equal query, with the tenant of the token forwarded with them (the
        // tenant is never a parameter)
        Map<String, String> p = query.toParameters();
        assertThat(p).doesNotContainKey("tenantId");
        assertThat(parse("acme & co+", p.get("window"), p.get("within"), p.get("assignee"),
                p.get("unassigned"), p.get("limit"), p.get("cursor"))).isEqualTo(query);
    }

    private static SessionListQuery parse(String tenantId, String window, String within, String assignee,
                                          String unassigned, String limit, String cursor) {
        return SessionListQuery.parse(tenantId, window, within, assignee, unassigned, limit, cursor, LEAD);
    }

    private static void assertField(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidQueryException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    static Session session(String conversationId, Instant windowExpiresAt, String assigneeId) {
        return Session.empty("acme", conversationId, "1").toBuilder()
                .version(1).windowExpiresAt(windowExpiresAt).assigneeId(assigneeId).build();
    }
}
