package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.session.window.WindowTimers.Deadline;
import com.answerline.session.window.WindowTimers.Kind;

class DeadlineIndexTest {

    private static final String CONVERSATION = "100000000000001:US.13491208655302741918";

    @Test
    void shouldOrderKeysByDeadlineWhateverTheNumberOfDigits() {
        // Given deadlines whose millis have different lengths, and conversations that sort the other way
        String earlier = DeadlineIndex.key(deadline(Instant.ofEpochMilli(999)), "z");
        String later = DeadlineIndex.key(deadline(Instant.ofEpochMilli(1_000)), "a");

        // Then string order (RocksDB's byte order for ASCII) is time order
        assertThat(earlier).isLessThan(later);
        assertThat(earlier).startsWith("0000000000000000999|");
    }

    @Test
    void shouldReadBackTheConversationAndTheDeadlineWithItsWindowEnd() {
        // Given an indexed EXPIRING deadline of a conversation whose id holds dots and a colon
        Deadline deadline = new Deadline(Kind.EXPIRING, Instant.parse("2026-11-21T08:15:30Z"),
                Instant.parse("2026-11-21T09:15:30Z"));

        // When its entry is parsed back
        DeadlineIndex.Entry entry = DeadlineIndex.parse(DeadlineIndex.key(deadline, CONVERSATION),
                DeadlineIndex.value(deadline));

        // Then nothing is lost
        assertThat(entry.conversationId()).isEqualTo(CONVERSATION);
        assertThat(entry.deadline()).isEqualTo(deadline);
    }

    private static Deadline deadline(Instant at) {
        return new Deadline(Kind.CLOSED, at, at);
    }
}
