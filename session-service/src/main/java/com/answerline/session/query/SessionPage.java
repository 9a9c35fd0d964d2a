package com.answerline.session.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

import com.answerline.session.window.Session;

/**
 * One page of {@code GET /api/v1/conversations}: the JSON body {@code {"items": [...], "nextCursor": "..." | null}}.
 * {@code nextCursor} is null on the last page; otherwise it names the last item's position and the next page
 * starts strictly after it (keyset paging: stable while the data does not change, no offsets to drift).
 *
 * <p>Pages are made in two steps, both here so they are unit-tested together: every instance {@link #collect}s its
 * own first page from its local store, and the instance that was asked {@link #merge}s them.
 *
 * @param items      at most the query's limit, in {@link SessionSortKey#ORDER}
 * @param nextCursor where the next page starts, null when nothing follows
 */
public record SessionPage(List<SessionView> items, String nextCursor) {

    private static final Comparator<SessionView> ORDER = Comparator.comparing(SessionSortKey::of);

    public SessionPage {
        items = List.copyOf(items);
    }

    /**
     * The first page of {@code sessions} for {@code query} at {@code now}: the matching sessions after the cursor,
     * the smallest {@code limit} of them in order. One pass, keeping at most {@code limit + 1} sessions (the extra
     * one only tells whether a next page exists), so the cost is the scan plus {@code n log limit}.
     */
    public static SessionPage collect(Iterator<Session> sessions, SessionListQuery query, Instant now,
                                      Duration safetyMargin) {
        Comparator<Session> order = Comparator.comparing(SessionPage::key);
        // Largest on top, so the one to drop when over the bound is at hand.
        PriorityQueue<Session> smallest = new PriorityQueue<>(query.limit() + 1, order.reversed());
        while (sessions.hasNext()) {
            Session session = sessions.next();
            if (!query.matches(session, now) || !query.isAfterCursor(key(session))) {
                continue;
            }
            smallest.add(session);
            if (smallest.size() > query.limit() + 1) {
                smallest.poll();
            }
        }
        List<Session> sorted = new ArrayList<>(smallest);
        sorted.sort(order);
        boolean more = sorted.size() > query.limit();
        List<Session> page = more ? sorted.subList(0, query.limit()) : sorted;
        return new SessionPage(page.stream().map(s -> SessionView.of(s, now, safetyMargin)).toList(),
                more ? key(page.get(page.size() - 1)).toCursor() : null);
    }

    /**
     * The first {@code limit} items of several instances' pages of the same query. Each instance sent its own first
     * {@code limit} after the cursor, so the first {@code limit} of the union are the first {@code limit} overall.
     * A next page exists when more than {@code limit} came in or any instance said it has more.
     *
     * <p>A conversation lives on one instance only (its partition's active task); should two pages carry it during a
     * hand-over anyway, the higher version is kept, so a list never shows a conversation twice.
     */
    public static SessionPage merge(Collection<SessionPage> pages, int limit) {
        List<SessionView> all = new ArrayList<>();
        boolean anyHasMore = false;
        for (SessionPage page : pages) {
            all.addAll(page.items());
            anyHasMore |= page.nextCursor() != null;
        }
        all.sort(Comparator.comparing(SessionView::conversationId)
                .thenComparing(Comparator.comparingLong(SessionView::version).reversed()));
        Set<String> seen = new HashSet<>();
        List<SessionView> distinct = new ArrayList<>();
        for (SessionView view : all) {
            if (seen.add(view.conversationId())) {
                distinct.add(view);
            }
        }
        distinct.sort(ORDER);
        boolean more = anyHasMore || distinct.size() > limit;
        List<SessionView> page = distinct.size() > limit ? distinct.subList(0, limit) : distinct;
        return new SessionPage(page, more && !page.isEmpty()
                ? SessionSortKey.of(page.get(page.size() - 1)).toCursor() : null);
    }

    private static SessionSortKey key(Session session) {
        return new SessionSortKey(session.windowExpiresAt(), session.conversationId());
    }
}
