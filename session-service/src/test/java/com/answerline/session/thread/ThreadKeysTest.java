package com.answerline.session.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class ThreadKeysTest {

    private static final String CONVERSATION = "100000000000001:15551230001";

    @Test
    void shouldOrderAConversationsMessagesByTimeInsideItsOwnRange() {
        // Given messages of two conversations whose ids share a prefix, at times of different lengths
        String early = ThreadKeys.message(CONVERSATION, 999, "in:b");
        String late = ThreadKeys.message(CONVERSATION, 1_765_000_000_000L, "in:a");
        String sameTime = ThreadKeys.message(CONVERSATION, 1_765_000_000_000L, "out:c/REPLY");
        String longerId = ThreadKeys.message(CONVERSATION + "2", 0, "in:z");

        // Then byte order (RocksDB's) is time order, then entry id, and the range holds only the conversation's keys
        List<String> sorted = Stream.of(longerId, sameTime, early, late)
                .sorted((a, b) -> compareUtf8(a, b)).toList();
        assertThat(sorted).containsExactly(early, late, sameTime, longerId);
        String start = ThreadKeys.conversationStart(CONVERSATION);
        String end = ThreadKeys.conversationEnd(CONVERSATION);
        assertThat(Stream.of(early, late, sameTime)).allMatch(key -> compareUtf8(start, key) <= 0 && compareUtf8(key, end) < 0);
        assertThat(compareUtf8(longerId, end)).isGreaterThan(0);
        assertThat(ThreadKeys.conversationOf(late)).isEqualTo(CONVERSATION);
        assertThat(ThreadKeys.millisOf(late)).isEqualTo(1_765_000_000_000L);
        assertThat(ThreadKeys.sortKeyOf(early)).isEqualTo("0000000000000000999in:b");
    }

    @Test
    void shouldGiveBackTheSortKeyOfItsCursorAndRefuseAnyOtherCursor() {
        String sortKey = ThreadKeys.sortKey(1_765_000_000_000L, "out:cmd-1/REPLY");

        assertThat(ThreadKeys.sortKeyOfCursor(ThreadKeys.cursor(sortKey))).isEqualTo(sortKey);
        for (String bad : List.of("not base64!", encode("hello"), encode("123in:x"), encode(sortKey + "\u0000x"),
                "A".repeat(2_000), "A".repeat(2_049))) {
            assertThatThrownBy(() -> ThreadKeys.sortKeyOfCursor(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String encode(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
