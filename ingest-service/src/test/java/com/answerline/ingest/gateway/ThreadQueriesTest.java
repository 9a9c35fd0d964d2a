package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.answerline.ingest.http.InvalidRequestException;

class ThreadQueriesTest {

    @Test
    void shouldTakeFiftyByDefaultAndRefuseALimitOutsideOneToAHundred() {
        assertThat(ThreadQueries.limit(null)).isEqualTo(50);
        assertThat(ThreadQueries.limit(" 100 ")).isEqualTo(100);
        for (String bad : new String[] {"0", "101", "-1", "1.5", "ten"}) {
            assertThatThrownBy(() -> ThreadQueries.limit(bad)).isInstanceOfSatisfying(InvalidRequestException.class,
                    e -> assertThat(e.field()).isEqualTo("limit"));
        }
    }

    @Test
    void shouldPassABase64urlCursorOnAndRefuseAnythingElse() {
        assertThat(ThreadQueries.before(null)).isNull();
        assertThat(ThreadQueries.before("MDAwMTc2NWluOndhbWlkLjE")).isEqualTo("MDAwMTc2NWluOndhbWlkLjE");
        for (String bad : new String[] {"a b", "a/b", "a+b=", "x".repeat(2049)}) {
            assertThatThrownBy(() -> ThreadQueries.before(bad)).isInstanceOfSatisfying(InvalidRequestException.class,
                    e -> assertThat(e.field()).isEqualTo("before"));
        }
    }

    @Test
    void shouldLinkTheNextPageWithItsCursorAndLimitOrNothingOnTheLastPage() {
        assertThat(ThreadQueries.nextLink("100000000000001:31612345678", "MDAw-_x", 20))
                .isEqualTo("/api/v1/conversations/100000000000001:31612345678/messages?before=MDAw-_x&limit=20");
        assertThat(ThreadQueries.nextLink("100000000000001:31612345678", null, 20)).isNull();
    }
}
