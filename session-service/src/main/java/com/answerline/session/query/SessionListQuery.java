package com.answerline.session.query;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.answerline.session.window.Session;
import com.answerline.session.window.WindowRules;
import com.answerline.schemas.query.PageLimit;

/**
 * One page request of {@code GET /api/v1/conversations}: which sessions of a tenant (window state, assignee), how
 * many, and after which position of the {@link SessionSortKey#ORDER list order}. Plain Java: parsing, validation and
 * the filter are unit-tested without Spring or Kafka.
 *
 * @param tenantId   only this tenant's conversations
 * @param window     null for every window state
 * @param within     for {@link Window#EXPIRING}: the window ends at most this long after now; null otherwise
 * @param assignee   only conversations assigned to this agent; null for any
 * @param unassigned only conversations nobody is assigned to
 * @param limit      at most this many items, 1 to {@value #MAX_LIMIT}
 * @param after      the page starts strictly after this position; null for the first page
 */
public record SessionListQuery(String tenantId, Window window, Duration within, String assignee, boolean unassigned,
                               int limit, SessionSortKey after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final PageLimit LIMIT = new PageLimit(DEFAULT_LIMIT, MAX_LIMIT);
    /** The longest {@code within}: a window lasts 24 h, so a longer look-ahead means every open window. */
    public static final Duration MAX_WITHIN = WindowRules.WINDOW;

    /** Window states a list can ask for, as of the query time. */
    public enum Window {
        /** Free-form replies allowed now. */
        OPEN,
        /** Open now and ending within {@code within}. */
        EXPIRING,
        /** Not open now, including conversations that never had a WhatsApp window (SMS only). */
        CLOSED
    }

    public SessionListQuery {
        Objects.requireNonNull(tenantId, "tenantId");
        if ((within != null) != (window == Window.EXPIRING)) {
            throw new IllegalArgumentException("within goes with window=expiring, and only with it");
        }
        if (assignee != null && unassigned) {
            throw new IllegalArgumentException("assignee and unassigned exclude each other");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit out of range: " + limit);
        }
    }

    /**
     * Reads the request parameters as the client sent them (null when absent).
     *
     * @param defaultWithin {@code within} when window=expiring comes without one: the configured EXPIRING lead
     * @throws InvalidQueryException naming the first parameter that cannot be used
     */
    public static SessionListQuery parse(String tenantId, String window, String within, String assignee,
                                         String unassigned, String limit, String cursor, Duration defaultWithin) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new InvalidQueryException("tenantId", "tenantId is required");
        }
        Window parsedWindow = parseWindow(window);
        Duration parsedWithin = null;
        if (within != null) {
            if (parsedWindow != Window.EXPIRING) {
                throw new InvalidQueryException("within", "within only applies to window=expiring");
            }
            parsedWithin = parseWithin(within);
        } else if (parsedWindow == Window.EXPIRING) {
            parsedWithin = defaultWithin;
        }
        String parsedAssignee = null;
        if (assignee != null) {
            if (assignee.isBlank()) {
                throw new InvalidQueryException("assignee", "assignee must not be blank");
            }
            parsedAssignee = assignee;
        }
        boolean parsedUnassigned = parseBoolean(unassigned);
        if (parsedAssignee != null && parsedUnassigned) {
            throw new InvalidQueryException("assignee", "assignee and unassigned=true exclude each other");
        }
        int parsedLimit = parseLimit(limit);
        SessionSortKey after = null;
        if (cursor != null) {
            try {
                after = SessionSortKey.fromCursor(cursor);
            } catch (IllegalArgumentException e) {
                throw new InvalidQueryException("cursor", e.getMessage());
            }
        }
        return new SessionListQuery(tenantId, parsedWindow, parsedWithin, parsedAssignee, parsedUnassigned,
                parsedLimit, after);
    }

    /** True when {@code session} belongs in this list at {@code now}; the position ({@link #after}) aside. */
    public boolean matches(Session session, Instant now) {
        if (!tenantId.equals(session.tenantId())) {
            return false;
        }
        if (assignee != null && !assignee.equals(session.assigneeId())) {
            return false;
        }
        if (unassigned && session.assigneeId() != null) {
            return false;
        }
        if (window == null) {
            return true;
        }
        boolean open = session.windowOpenAt(now);
        return switch (window) {
            case OPEN -> open;
            case CLOSED -> !open;
            case EXPIRING -> open && !session.windowExpiresAt().isAfter(now.plus(within));
        };
    }

    /** True when the position {@code key} comes after the cursor, i.e. belongs on this page or a later one. */
    public boolean isAfterCursor(SessionSortKey key) {
        return after == null || key.compareTo(after) > 0;
    }

    /**
     * The same query as request parameters, for asking another instance; {@link #parse} reads them back to an
     * equal query with the tenant of the token forwarded with them (the tenant is never a parameter).
     */
    public Map<String, String> toParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (window != null) {
            parameters.put("window", window.name().toLowerCase(Locale.ROOT));
        }
        if (within != null) {
            parameters.put("within", within.toString());
        }
        if (assignee != null) {
            parameters.put("assignee", assignee);
        }
        if (unassigned) {
            parameters.put("unassigned", "true");
        }
        parameters.put("limit", Integer.toString(limit));
        if (after != null) {
            parameters.put("cursor", after.toCursor());
        }
        return parameters;
    }

    private static Window parseWindow(String window) {
        if (window == null) {
            return null;
        }
        return switch (window) {
            case "open" -> Window.OPEN;
            case "expiring" -> Window.EXPIRING;
            case "closed" -> Window.CLOSED;
            default -> throw new InvalidQueryException("window", "window must be open, expiring or closed");
        };
    }

    private static Duration parseWithin(String within) {
        Duration duration;
        try {
            duration = Duration.parse(within);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException("within", "within must be an ISO-8601 duration, e.g. PT1H");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_WITHIN) > 0) {
            throw new InvalidQueryException("within", "within must be more than 0 and at most " + MAX_WITHIN);
        }
        return duration;
    }

    private static boolean parseBoolean(String unassigned) {
        if (unassigned == null || "false".equals(unassigned)) {
            return false;
        }
        if ("true".equals(unassigned)) {
            return true;
        }
        throw new InvalidQueryException("unassigned", "unassigned must be true or false");
    }

    private static int parseLimit(String limit) {
        return LIMIT.parse(limit).orElseThrow(() -> new InvalidQueryException("limit", "limit " + LIMIT.rule()));
    }
}
