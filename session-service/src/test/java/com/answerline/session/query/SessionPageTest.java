package com.answerline.session.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import com.answerline.session.window.Session;

class SessionPageTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration MARGIN = Duration.ofSeconds(60);

    @Test
    void shouldPageThroughOneStoreInOrderWithoutGapsOrDuplicates() {
        // Given 23 sessions of the tenant in random store order, three without a window, and another tenant's
        List<Session> sessions = sessions(23);
        sessions.add(Session.empty("globex", "2:other", "2").toBuilder().version(1).build());
        Collections.shuffle(sessions, new Random(7));

        // When paged 5 at a time
        List<SessionView> seen = pageAll(limit -> cursor -> SessionPage.collect(sessions.iterator(),
                query(limit, cursor), NOW, MARGIN), 5);

        // Then every tenant session comes once, in order, and the last page says nothing follows
        assertThat(seen).extracting(SessionView::conversationId).doesNotHaveDuplicates().hasSize(23);
        assertThat(seen).extracting(SessionSortKey::of).isSortedAccordingTo(SessionSortKey.ORDER);
        assertThat(seen.get(22).windowExpiresAt()).isNull();
    }

    @Test
    void shouldSayNothingFollowsWhenThePageIsExactlyTheRest() {
        // Given exactly as many sessions as the limit
        List<Session> sessions = sessions(5);

        // Then one full page without a next cursor
        SessionPage page = SessionPage.collect(sessions.iterator(), query(5, null), NOW, MARGIN);
        assertThat(page.items()).hasSize(5);
        assertThat(page.nextCursor()).isNull();
        // And an empty store gives an empty last page
        assertThat(SessionPage.collect(List.<Session>of().iterator(), query(5, null), NOW, MARGIN))
                .isEqualTo(new SessionPage(List.of(), null));
    }

    @Test
    void shouldMergeInstancesPagesIntoTheSamePagesAsOneStore() {
        // Given the sessions spread over three instances (as partitions would spread them)
        List<Session> all = sessions(31);
        List<List<Session>> instances = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < all.size(); i++) {
            instances.get(Math.floorMod(all.get(i).conversationId().hashCode(), 3)).add(all.get(i));
        }

        // When every page is gathered: each instance's own first page, merged
        List<SessionView> merged = pageAll(limit -> cursor -> SessionPage.merge(instances.stream()
                .map(store -> SessionPage.collect(store.iterator(), query(limit, cursor), NOW, MARGIN)).toList(), limit), 7);

        // Then the result is what one store holding everything gives
        List<SessionView> single = pageAll(limit -> cursor -> SessionPage.collect(all.iterator(),
                query(limit, cursor), NOW, MARGIN), 7);
        assertThat(merged).isEqualTo(single).hasSize(31);
    }

    @Test
    void shouldKeepAPageOpenWhenOneInstanceHasMoreThoughTheUnionFitsTheLimit() {
        // Given one instance with a full page and more behind it, the other empty
        SessionView a = SessionView.of(withEnd("1:a", NOW.plusSeconds(1)), NOW, MARGIN);
        SessionView b = SessionView.of(withEnd("1:b", NOW.plusSeconds(2)), NOW, MARGIN);
        SessionPage full = new SessionPage(List.of(a, b), SessionSortKey.of(b).toCursor());

        // When merged with limit 2
        SessionPage page = SessionPage.merge(List.of(full, new SessionPage(List.of(), null)), 2);

        // Then the next page starts after the last item
        assertThat(page.items()).containsExactly(a, b);
        assertThat(page.nextCursor()).isEqualTo(SessionSortKey.of(b).toCursor());
    }

    @Test
    void shouldShowAConversationOnceWhenTwoInstancesSentIt() {
        // Given the same conversation from two instances, one copy newer (a hand-over)
        Session old = withEnd("1:a", NOW.plusSeconds(1));
        Session newer = old.toBuilder().version(2).windowExpiresAt(NOW.plusSeconds(9)).build();

        SessionPage page = SessionPage.merge(List.of(
                new SessionPage(List.of(SessionView.of(old, NOW, MARGIN)), null),
                new SessionPage(List.of(SessionView.of(newer, NOW, MARGIN)), null)), 10);

        assertThat(page.items()).extracting(SessionView::version).containsExactly(2L);
        assertThat(page.nextCursor()).isNull();
    }

    /** Sessions of tenant acme, ends a minute apart with ties, the last three without a window. */
    private static List<Session> sessions(int count) {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant end = i >= count - 3 ? null : NOW.plus(Duration.ofMinutes(i / 2));
            sessions.add(withEnd(String.format("1:%03d", count - i), end));
        }
        return sessions;
    }

    private static SessionListQuery query(int limit, String cursor) {
        return SessionListQuery.parse("acme", null, null, null, null, Integer.toString(limit), cursor,
                Duration.ofHours(1));
    }

    /** Follows the cursors from the first page to the last. */
    private static List<SessionView> pageAll(IntFunction<Function<String, SessionPage>> pages, int limit) {
        List<SessionView> seen = new ArrayList<>();
        String cursor = null;
        for (int round = 0; round < 100; round++) {
            SessionPage page = pages.apply(limit).apply(cursor);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            seen.addAll(page.items());
            cursor = page.nextCursor();
            if (cursor == null) {
                return seen;
            }
        }
        throw new AssertionError("paging did not end");
    }

    private static Session withEnd(String conversationId, Instant windowExpiresAt) {
        return SessionListQueryTest.session(conversationId, windowExpiresAt, null);
    }
}
