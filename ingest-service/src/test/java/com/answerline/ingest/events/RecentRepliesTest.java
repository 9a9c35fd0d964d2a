package com.answerline.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.gateway.ReplyOutcomeView;

/** What the live feed remembers of recent replies, and when a delivery makes a reply's outcome go out again. */
class RecentRepliesTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String CONVERSATION = "100000000000001:31612345678";

    private final RecentReplies replies = new RecentReplies(2);

    @Test
    void shouldSendTheOutcomeAgainWithEachNewDeliveryOfItsSend() {
        // Given dispatch's outcome, before any delivery
        ReplyOutcomeView sent = replies.outcome(outcome("cmd-1", "demo"));
        assertThat(sent.delivery()).isNull();
        assertThat(sent.deliveries()).isEmpty();
        // When the send is delivered, then read
        ReplyOutcomeView delivered = replies.send(send("cmd-1", "demo", DeliveryState.DELIVERED, T0.plusSeconds(2))).orElseThrow();
        ReplyOutcomeView read = replies.send(send("cmd-1", "demo", DeliveryState.READ, T0.plusSeconds(3))).orElseThrow();
        // Then each is the outcome with the delivery so far
        assertThat(delivered.status()).isEqualTo("SENT");
        assertThat(delivered.delivery().state()).isEqualTo("DELIVERED");
        assertThat(read.delivery().state()).isEqualTo("READ");
        assertThat(read.deliveries()).singleElement().satisfies(d -> assertThat(d.step()).isEqualTo("REPLY"));
    }

    @Test
    void shouldCarryADeliveryThatCameBeforeTheOutcome() {
        // Given the delivery read first (the two topics are read in any order): no outcome to send yet
        assertThat(replies.send(send("cmd-2", "demo", DeliveryState.DELIVERED, T0.plusSeconds(2)))).isEmpty();
        // When the outcome comes, then it carries the delivery
        assertThat(replies.outcome(outcome("cmd-2", "demo")).delivery().state()).isEqualTo("DELIVERED");
    }

    @Test
    void shouldNotSendAnythingForAnOlderStateOrAMessageThatIsNotADeliveredSend() {
        replies.outcome(outcome("cmd-3", "demo"));
        assertThat(replies.send(send("cmd-3", "demo", DeliveryState.READ, T0.plusSeconds(3)))).isPresent();
        // An older state (replayed, reordered), a customer's message, a send without delivery: nothing
        assertThat(replies.send(send("cmd-3", "demo", DeliveryState.SENT, T0.plusSeconds(1)))).isEmpty();
        ThreadMessage inbound = send("cmd-3", "demo", DeliveryState.READ, T0.plusSeconds(9));
        inbound.setDirection(ThreadDirection.INBOUND);
        assertThat(replies.send(inbound)).isEmpty();
        ThreadMessage undelivered = send("cmd-3", "demo", DeliveryState.READ, T0.plusSeconds(9));
        undelivered.setDelivery(null);
        assertThat(replies.send(undelivered)).isEmpty();
        // And the outcome still shows the read
        assertThat(replies.outcome(outcome("cmd-3", "demo")).delivery().state()).isEqualTo("READ");
    }

    @Test
    void shouldSendNoOutcomeForASendOfAnotherTenantThanTheCommands() {
        replies.outcome(outcome("cmd-4", "demo"));
        assertThat(replies.send(send("cmd-4", "other", DeliveryState.DELIVERED, T0.plusSeconds(2)))).isEmpty();
    }

    @Test
    void shouldKeepALaterOutcomeByTheStoresRulesAndForgetTheLeastRecentCommandsPastItsCapacity() {
        // Given a final outcome, then a replayed PENDING of it: the delivery goes out with the final one
        replies.outcome(outcome("cmd-5", "demo"));
        DispatchOutcome pending = DispatchOutcome.newBuilder(outcome("cmd-5", "demo")).setStatus(OutcomeStatus.PENDING)
                .setFinal$(false).build();
        assertThat(replies.outcome(pending).status()).isEqualTo("PENDING");
        assertThat(replies.send(send("cmd-5", "demo", DeliveryState.SENT, T0.plusSeconds(1))).orElseThrow().status())
                .isEqualTo("SENT");
        // When two more commands come (capacity 2), then the first is forgotten: its delivery sends nothing
        replies.outcome(outcome("cmd-6", "demo"));
        replies.outcome(outcome("cmd-7", "demo"));
        assertThat(replies.send(send("cmd-5", "demo", DeliveryState.READ, T0.plusSeconds(3)))).isEmpty();
    }

    static DispatchOutcome outcome(String commandId, String tenant) {
        return DispatchOutcome.newBuilder()
                .setCommandId(commandId).setTenantId(tenant).setConversationId(CONVERSATION)
                .setStatus(OutcomeStatus.SENT).setFinal$(true).setChannel(Channel.WHATSAPP)
                .setReason("WINDOW_OPEN").setOccurredAt(T0)
                .build();
    }

    static ThreadMessage send(String commandId, String tenant, DeliveryState state, Instant at) {
        return ThreadMessage.newBuilder()
                .setTenantId(tenant).setConversationId(CONVERSATION).setEntryId("out:" + commandId + "/REPLY")
                .setDirection(ThreadDirection.OUTBOUND).setChannel(Channel.WHATSAPP).setAt(T0).setType("text")
                .setText("Your order ships today").setCommandId(commandId).setStep(SendStep.REPLY)
                .setOutcomeStatus(OutcomeStatus.SENT)
                .setDelivery(DeliveryLifecycle.newBuilder().setState(state).setAcceptedAt(T0).setSentAt(T0.plusSeconds(1)).build())
                .setUpdatedAt(at)
                .build();
    }
}
