package com.answerline.session.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.answerline.session.thread.ThreadKeys;

class ThreadQueryTest {

    private static final String CONVERSATION = "100000000000001:15551230001";

    @Test
    void shouldReadTheDefaultsAndACursorAndForwardTheSameQuery() {
        String sortKey = ThreadKeys.sortKey(1_765_000_000_000L, "in:wamid.1");

        ThreadQuery first = ThreadQuery.parse(CONVERSATION, "demo", null, null);
        ThreadQuery next = ThreadQuery.parse(CONVERSATION, "demo", ThreadKeys.cursor(sortKey), "100");

        assertThat(first).isEqualTo(new ThreadQuery(CONVERSATION, "demo", null, 50));
        assertThat(next).isEqualTo(new ThreadQuery(CONVERSATION, "demo", sortKey, 100));
        assertThat(next.toParameters()).isEqualTo(Map.of("limit", "100",
                "before", ThreadKeys.cursor(sortKey)));
    }

    @Test
    void shouldNameTheParameterOfEveryBadValue() {
        assertField(() -> ThreadQuery.parse("not-a-conversation", "demo", null, null), "conversationId");
        assertField(() -> ThreadQuery.parse("100000000000001:1555\u00001", "demo", null, null), "conversationId");
        assertField(() -> ThreadQuery.parse(CONVERSATION, " ", null, null), "tenantId");
        assertField(() -> ThreadQuery.parse(CONVERSATION, "demo", null, "0"), "limit");
        assertField(() -> ThreadQuery.parse(CONVERSATION, "demo", null, "101"), "limit");
        assertField(() -> ThreadQuery.parse(CONVERSATION, "demo", null, "ten"), "limit");
        assertField(() -> ThreadQuery.parse(CONVERSATION, "demo", "%%%", null), "before");
        assertField(() -> MediaQuery.parse(CONVERSATION, "demo", "a/b"), "mediaId");
        assertField(() -> MediaQuery.parse(CONVERSATION, null, "MEDIA1"), "tenantId");
        assertThat(MediaQuery.parse(CONVERSATION, "demo", "1234567890")).isEqualTo(
                new MediaQuery(CONVERSATION, "demo", "1234567890"));
    }

    private static void assertField(Runnable parse, String field) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(InvalidQueryException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
