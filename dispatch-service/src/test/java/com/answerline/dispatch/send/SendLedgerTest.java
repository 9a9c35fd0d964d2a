package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendState;
import com.answerline.avro.SendStep;

class SendLedgerTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    final InMemoryLedgerLog log = new InMemoryLedgerLog();
    final SendRequest request = ReplySenderTest.request(FallbackPolicy.SMS);

    @Test
    void shouldKnowNothingOfANewCommand() {
        assertThat(new SendLedger(log).entryOf(2, request.getCommandId())).isNull();
    }

    @Test
    void shouldRestoreTheFinalOutcomeAfterARestart() {
        // Given one process logged SENDING, then SENT
        SendLedger before = new SendLedger(log);
        before.entryOf(2, request.getCommandId());
        before.sending(2, request, NOW);
        before.done(2, sent(request));

        // When a new process (empty memory) looks the command up
        SendLedgerEntry entry = new SendLedger(log).entryOf(2, request.getCommandId());

        // Then it finds the final outcome, not in doubt
        assertThat(entry.getState()).isEqualTo(SendState.DONE);
        assertThat(SendLedger.done(entry)).isTrue();
        assertThat(entry.getOutcome().getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(entry.getOutcome().getProviderMessageId()).isEqualTo("wamid.1");
        assertThat(SendLedger.inDoubt(entry)).isFalse();
    }

    @Test
    void shouldFindASendingWithoutResultInDoubtAndResolveItAsUnknown() {
        // Given a process died between SENDING and the result
        new SendLedger(log).sending(2, request, NOW);

        // When the next process looks the command up
        SendLedgerEntry entry = new SendLedger(log).entryOf(2, request.getCommandId());

        // Then it is in doubt, and resolves to a final FAILED SEND_STATE_UNKNOWN on the channel it was sending on
        assertThat(entry.getState()).isEqualTo(SendState.SENDING);
        assertThat(entry.getOutcome()).isNull();
        assertThat(SendLedger.inDoubt(entry)).isTrue();
        assertThat(SendLedger.done(entry)).isFalse();
        DispatchOutcome unknown = SendLedger.unknown(entry, "agent-7", NOW.plusSeconds(5));
        assertThat(unknown.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(unknown.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
        assertThat(unknown.getReason()).isEqualTo("SEND_STATE_UNKNOWN");
        assertThat(unknown.getStep()).isEqualTo(request.getStep());
        assertThat(unknown.getExplanation()).isEqualTo(request.getExplanation());
        assertThat(unknown.getFinal$()).isTrue();
        assertThat(unknown.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(unknown.getCommandId()).isEqualTo(request.getCommandId());
        assertThat(unknown.getProviderMessageId()).isNull();
        assertThat(unknown.getAgentId()).isEqualTo("agent-7");
    }

    @Test
    void shouldReadAPartitionOnceWhileOwnedAndAgainAfterRelease() {
        SendLedger ledger = new SendLedger(log);
        ledger.entryOf(2, "a");
        ledger.entryOf(2, "b");
        assertThat(log.replays).isEqualTo(1);

        // When another owner logs while this process did not own the partition
        ledger.release(List.of(2));
        new SendLedger(log).done(2, sent(request));

        // Then the next use catches up and sees it
        assertThat(ledger.entryOf(2, request.getCommandId()).getOutcome().getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(log.replays).isEqualTo(2);
    }

    @Test
    void shouldReadEveryPartitionNotReadYetInOnePassAndThenOnlyTheNewOnes() {
        // Given entries logged on three partitions by an earlier owner
        SendLedger earlier = new SendLedger(log);
        earlier.done(0, sent(request));
        earlier.done(2, sent(request));
        log.replayAlls.clear();
        SendLedger ledger = new SendLedger(log);

        // When the new owner looks at its assignment, then at one partition of it, then at a larger assignment
        ledger.parkedHeads(List.of(0, 1, 2));
        ledger.entryOf(1, "a");
        ledger.dueForSettlement(List.of(1, 2, 3), NOW);

        // Then the log was asked once for the three partitions (a Kafka log reads them in one pass), then only for
        // the one not read yet, and what they hold is known
        assertThat(log.replayAlls).containsExactly(Map.of(0, 0L, 1, 0L, 2, 0L), Map.of(3, 0L));
        assertThat(ledger.entryOf(2, request.getCommandId()).getOutcome().getStatus()).isEqualTo(OutcomeStatus.SENT);
    }

    @Test
    void shouldKeepPartitionsApart() {
        new SendLedger(log).done(2, sent(request));

        assertThat(new SendLedger(log).entryOf(3, request.getCommandId())).isNull();
    }

    @Test
    void shouldKeepEachStepOfACommandUnderItsOwnKey() {
        assertThat(SendLedger.key("cmd-1", SendStep.REPLY)).isEqualTo("cmd-1");
        assertThat(SendLedger.key("cmd-1", SendStep.HOLD_INVITATION)).isEqualTo("cmd-1");
        assertThat(SendLedger.key("cmd-1", SendStep.HELD_ANSWER)).isEqualTo("cmd-1/HELD_ANSWER");
        assertThat(SendLedger.key("cmd-1", SendStep.FAILOVER)).isEqualTo("cmd-1/FAILOVER");

        // When the REPLY is done and the FAILOVER of the same command starts
        SendLedger ledger = new SendLedger(log);
        ledger.done(2, sent(request));
        ledger.sending(2, SendRequest.newBuilder(request).setStep(SendStep.FAILOVER).build(), NOW);

        // Then both are logged under their own keys, and the REPLY is still done
        assertThat(log.appended).extracting(InMemoryLedgerLog.Appended::key).containsExactly("cmd-1", "cmd-1/FAILOVER");
        assertThat(ledger.entryOf(2, "cmd-1").getOutcome().getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(SendLedger.inDoubt(new SendLedger(log).entryOf(2, "cmd-1/FAILOVER"))).isTrue();
    }

    @Test
    void shouldCountAHeldInvitationAsDone() {
        // Given an invitation that went out: HELD, not final
        DispatchOutcome held = DispatchOutcome.newBuilder(sent(request)).setStatus(OutcomeStatus.HELD)
                .setStep(SendStep.HOLD_INVITATION).setFinal$(false).build();
        SendLedger ledger = new SendLedger(log);
        ledger.done(2, held);

        // When / Then it is done (republished, never resent), not in doubt
        SendLedgerEntry entry = new SendLedger(log).entryOf(2, SendLedger.key(request.getCommandId(), SendStep.HOLD_INVITATION));
        assertThat(SendLedger.done(entry)).isTrue();
        assertThat(SendLedger.inDoubt(entry)).isFalse();
        assertThat(entry.getOutcome()).isEqualTo(held);
    }

    @Test
    void shouldReadTheEntriesOfTheLedgerBeforeSendLedgerEntry() {
        // Given what the previous release logged: SENDING as a PENDING outcome with reason "SENDING", and a result
        DispatchOutcome sending = DispatchOutcome.newBuilder(sent(request)).setStatus(OutcomeStatus.PENDING)
                .setReason("SENDING").setOutcomeReason(OutcomeReason.UNSPECIFIED).setProviderMessageId(null)
                .setFinal$(false).setStep(SendStep.FAILOVER).build();
        DispatchOutcome result = DispatchOutcome.newBuilder(sent(request)).setReason("WINDOW_OPEN")
                .setOutcomeReason(OutcomeReason.UNSPECIFIED).build();

        // When they are read
        SendLedgerEntry inFlight = SendLedger.fromLegacy(sending);
        SendLedgerEntry done = SendLedger.fromLegacy(result);

        // Then the first is in doubt (never resent), the second done with its reason as the enum
        assertThat(SendLedger.inDoubt(inFlight)).isTrue();
        assertThat(inFlight.getStep()).isEqualTo(SendStep.FAILOVER);
        assertThat(inFlight.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(SendLedger.done(done)).isTrue();
        assertThat(done.getOutcome().getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
        assertThat(done.getOutcome().getProviderMessageId()).isEqualTo("wamid.1");
    }

    @Test
    void shouldFindASentWhatsAppReplyByItsWamidAfterARestart() {
        new SendLedger(log).done(2, sent(request));

        SendLedger restarted = new SendLedger(log);

        assertThat(restarted.failoverCandidate(2, "wamid.1").getCommandId()).isEqualTo("cmd-1");
        assertThat(restarted.failoverCandidate(2, "wamid.unknown")).isNull();
        assertThat(restarted.failoverCandidate(3, "wamid.1")).isNull();
    }

    @Test
    void shouldNotOfferAFailoverForAnInvitationOrAFailover() {
        SendLedger ledger = new SendLedger(log);
        ledger.done(2, DispatchOutcome.newBuilder(sent(request)).setStep(SendStep.FAILOVER).setChannel(Channel.WHATSAPP_TEMPLATE)
                .setProviderMessageId("wamid.2").build());

        assertThat(ledger.failoverCandidate(2, "wamid.2")).isNull();
    }

    static DispatchOutcome sent(SendRequest request) {
        return DispatchOutcome.newBuilder()
                .setCommandId(request.getCommandId()).setTenantId("demo").setConversationId(request.getConversationId())
                .setStatus(OutcomeStatus.SENT).setChannel(Channel.WHATSAPP)
                .setOutcomeReason(OutcomeReason.WINDOW_OPEN).setReason("WINDOW_OPEN")
                .setProviderMessageId("wamid.1").setAttempts(1)
                .setFinal$(true).setOccurredAt(NOW).build();
    }
}
