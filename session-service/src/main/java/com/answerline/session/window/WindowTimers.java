package com.answerline.session.window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The window's timers as pure rules: which deadlines a session has pending, whether a fold opened a new
 * window, and what a deadline that came due means for the session now. No Kafka, no store: the caller keeps
 * the deadlines in an index ordered by time and hands back the ones that are due.
 *
 * <p>A deadline remembers the window end it was computed for. When it fires it is checked against the
 * current session: a renewal (later end) or a new window makes it stale, and a stale deadline does nothing.
 */
public final class WindowTimers {

    private WindowTimers() {
    }

    /** What a deadline announces. */
    public enum Kind { EXPIRING, CLOSED }

    /**
     * One pending timer.
     *
     * @param at              when it fires
     * @param windowExpiresAt the window end it belongs to; the deadline is stale once the session's end differs
     */
    public record Deadline(Kind kind, Instant at, Instant windowExpiresAt) {
        public Deadline {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(windowExpiresAt, "windowExpiresAt");
        }
    }

    /** A due deadline that still holds: the session after it (version + 1) if it changed, and the event. */
    public record Fired(Optional<Session> next, WindowChange change) {
    }

    /**
     * The lead must leave the warning inside the window: a lead of 24 h or more would warn when the window opens.
     */
    public static Duration requireValidLead(Duration lead) {
        Objects.requireNonNull(lead, "lead");
        if (lead.isNegative() || lead.isZero() || lead.compareTo(WindowRules.WINDOW) >= 0) {
            throw new IllegalArgumentException("expiring lead must be > 0 and < " + WindowRules.WINDOW + ": " + lead);
        }
        return lead;
    }

    /**
     * The deadlines of the session's current window: EXPIRING at {@code end - lead} (unless already
     * announced) and CLOSED at {@code end}. None without a window.
     */
    public static List<Deadline> deadlines(Session session, Duration lead) {
        List<Deadline> deadlines = new ArrayList<>(2);
        if (session == null || session.windowExpiresAt() == null) {
            return deadlines;
        }
        Instant end = session.windowExpiresAt();
        if (!session.expiringNotified()) {
            deadlines.add(new Deadline(Kind.EXPIRING, end.minus(lead), end));
        }
        deadlines.add(new Deadline(Kind.CLOSED, end, end));
        return deadlines;
    }

    /**
     * OPENED, when the fold started a new window: there was none, or the previous one had ended when the
     * opening message was sent. A late message that only moves the start earlier, or a renewal, opens nothing.
     *
     * @param now when the fold ran (the event's {@code emittedAt})
     */
    public static Optional<WindowChange> opened(Session before, Session after, Instant now) {
        if (after == null || after.windowOpenedAt() == null || after.windowExpiresAt() == null) {
            return Optional.empty();
        }
        boolean hadWindow = before != null && before.windowExpiresAt() != null;
        boolean newWindow = !hadWindow || (!after.windowOpenedAt().equals(before.windowOpenedAt())
                && !after.windowOpenedAt().isBefore(before.windowExpiresAt()));
        if (!newWindow) {
            return Optional.empty();
        }
        return Optional.of(new WindowChange(WindowChange.Type.OPENED, after.tenantId(), after.conversationId(),
                after.windowOpenedAt(), after.windowExpiresAt(), null, now));
    }

    /**
     * What the due {@code deadline} means for {@code session} at wall-clock {@code now}.
     *
     * <ul>
     *   <li>Stale (the session's window end moved, or there is no session) or not yet due: nothing.</li>
     *   <li>EXPIRING, once per window end: sets {@code expiringNotified}. Skipped when the window has already
     *       ended by the time it is handled (after downtime): CLOSED says it all.</li>
     *   <li>CLOSED at the end exactly: {@code answered} = no unanswered customer message; closing unanswered
     *       (an SLA breach) sets {@code closedUnanswered}, the only case where the session changes.</li>
     * </ul>
     */
    public static Optional<Fired> fire(Session session, Deadline deadline, Instant now) {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(now, "now");
        if (session == null || !deadline.windowExpiresAt().equals(session.windowExpiresAt())
                || now.isBefore(deadline.at())) {
            return Optional.empty();
        }
        Instant end = session.windowExpiresAt();
        if (deadline.kind() == Kind.EXPIRING) {
            if (session.expiringNotified() || !now.isBefore(end)) {
                return Optional.empty();
            }
            Session next = changed(session, now).expiringNotified(true).build();
            return Optional.of(new Fired(Optional.of(next), change(session, WindowChange.Type.EXPIRING, null, now)));
        }
        boolean answered = session.unansweredSince() == null;
        Optional<Session> next = answered || session.closedUnanswered()
                ? Optional.empty()
                : Optional.of(changed(session, now).closedUnanswered(true).build());
        return Optional.of(new Fired(next, change(session, WindowChange.Type.CLOSED, answered, now)));
    }

    private static Session.Builder changed(Session session, Instant now) {
        return session.toBuilder().version(session.version() + 1).updatedAt(now);
    }

    private static WindowChange change(Session s, WindowChange.Type type, Boolean answered, Instant now) {
        return new WindowChange(type, s.tenantId(), s.conversationId(), s.windowOpenedAt(), s.windowExpiresAt(),
                answered, now);
    }
}
