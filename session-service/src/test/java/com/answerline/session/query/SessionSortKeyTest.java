package com.answerline.session.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class SessionSortKeyTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00.123456789Z");

    @Test
    void shouldOrderByWindowEndThenConversationWithNoWindowLast() {
        // Given keys in no particular order
        SessionSortKey later = new SessionSortKey(T.plusSeconds(1), "1:a");
        SessionSortKey earlyB = new SessionSortKey(T, "1:b");
        SessionSortKey earlyA = new SessionSortKey(T, "1:a");
        SessionSortKey noWindowA = new SessionSortKey(null, "1:a");
        SessionSortKey noWindowZ = new SessionSortKey(null, "1:z");
        List<SessionSortKey> keys = new ArrayList<>(List.of(noWindowZ, later, earlyB, noWindowA, earlyA));

        // When sorted
        keys.sort(SessionSortKey.ORDER);

        // Then the soonest end comes first, ties by id, conversations without a window at the end
        assertThat(keys).containsExactly(earlyA, earlyB, later, noWindowA, noWindowZ);
    }

    @Test
    void shouldReadBackTheCursorItWrote() {
        // Given keys with a nanosecond end, without an end, and an id with the separator in it
        List<SessionSortKey> keys = List.of(new SessionSortKey(T, "100000000000001:15551230001"),
                new SessionSortKey(null, "100000000000001:US.13491208655302741918"),
                new SessionSortKey(T, "1:odd|id"));

        // Then each cursor is URL-safe and reads back to the same key
        for (SessionSortKey key : keys) {
            String cursor = key.toCursor();
            assertThat(cursor).matches("[A-Za-z0-9_-]+");
            assertThat(SessionSortKey.fromCursor(cursor)).isEqualTo(key);
        }
    }

    @Test
    void shouldRefuseCursorsItDidNotIssue() {
        assertThatThrownBy(() -> SessionSortKey.fromCursor("not base64!")).hasMessageContaining("base64url");
        assertThatThrownBy(() -> SessionSortKey.fromCursor(encode("no separators")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionSortKey.fromCursor(encode("2|" + T + "|1:a")))
                .hasMessageContaining("not one this API issued");
        assertThatThrownBy(() -> SessionSortKey.fromCursor(encode("1|yesterday|1:a")))
                .hasMessageContaining("instant");
        assertThatThrownBy(() -> SessionSortKey.fromCursor(encode("1||")))
                .hasMessageContaining("no conversation");
    }

    private static String encode(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
