package com.answerline.bench.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.SendRequest;
import com.answerline.bench.report.Check;

class DispatchBaselineTest {

    private static final List<String> IDS = List.of("a", "b", "c");

    @Test
    void shouldPassOnlyWhenEveryRequestHasItsOutcomeAndItsMessageOnItsPhoneOnce() {
        Check done = DispatchBaseline.exact(IDS, Set.of("a", "b", "c"), 1, Map.of("a", 1, "b", 1, "c", 1));
        assertThat(done.passed()).isTrue();
        assertThat(done.detail()).isEqualTo("3/3 SENT (1 other records), 0 not on the phone, 0 twice");
    }

    @Test
    void shouldFailABaselineThatSkippedOrRepeatedSendsOrDidNothing() {
        assertThat(DispatchBaseline.exact(IDS, Set.of("a", "b"), 0, Map.of("a", 1, "b", 1, "c", 1)).passed())
                .as("an outcome missing").isFalse();
        assertThat(DispatchBaseline.exact(IDS, Set.of("a", "b", "c"), 0, Map.of("a", 1, "b", 1)).passed())
                .as("an outcome without its message").isFalse();
        assertThat(DispatchBaseline.exact(IDS, Set.of("a", "b", "c"), 0, Map.of("a", 1, "b", 2, "c", 1)).passed())
                .as("a message twice").isFalse();
        assertThat(DispatchBaseline.exact(List.of(), Set.of(), 0, Map.of()).passed()).as("no traffic").isFalse();
    }

    @Test
    void shouldFeedItSendRequestsAsSessionServiceWritesThemForAnOpenWindow() {
        SendRequest request = DispatchBaseline.request("c-1", Conversations.DEMO_NUMBER + ":15550001", "15550001");
        assertThat(request.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(request.getPhoneNumberId()).isEqualTo(Conversations.DEMO_NUMBER);
        assertThat(request.getRecipientPhone()).isEqualTo("15550001");
        assertThat(request.getText()).isEqualTo(DispatchBaseline.TEXT_PREFIX + "c-1");
    }
}
