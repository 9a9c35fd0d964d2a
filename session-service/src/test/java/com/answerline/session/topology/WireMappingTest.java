package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.avro.SessionState;
import com.answerline.session.window.Channel;
import com.answerline.session.window.LastOutbound;
import com.answerline.session.window.OutboundStatus;
import com.answerline.session.window.Session;

/** The edge between the wire state and the fold's session, including states written by the earlier contract. */
class WireMappingTest {

    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void shouldKeepTheLastOutboundMessageThroughTheWire() {
        // Given a session whose last reply failed with 131047 after it had answered a stretch
        LastOutbound last = new LastOutbound("cmd-1", Channel.WHATSAPP, OutboundStatus.FAILED, 131047, "wamid.out",
                AT, AT.minusSeconds(90));
        Session session = Session.empty("demo", "100000000000001:15551230001", "100000000000001").toBuilder()
                .lastOutbound(last).updatedAt(AT).build();

        // When it is written and read back
        SessionState state = WireMapping.toState(session);
        Session back = WireMapping.toSession(state);

        // Then the record is whole, and the deprecated fields stay empty
        assertThat(back.lastOutbound()).isEqualTo(last);
        assertThat(state.getLastOutboundOutcome()).isNull();
        assertThat(state.getLastOutboundChannel()).isNull();
        assertThat(state.getLastOutboundAt()).isNull();
    }

    @Test
    void shouldMigrateAStateWrittenBeforeLastOutboundExisted() {
        // Given states written by the earlier contract: a failure with its code in the string, a read reply,
        // a dispatch status
        SessionState failed = legacy("FAILED:131047", com.answerline.avro.Channel.WHATSAPP);
        SessionState undelivered = legacy("UNDELIVERED:30003", com.answerline.avro.Channel.SMS);
        SessionState read = legacy("READ", com.answerline.avro.Channel.WHATSAPP);
        SessionState rejected = legacy("REJECTED", null);

        // Then each becomes the record, with the code as a number; no provider id is known
        assertThat(WireMapping.toSession(failed).lastOutbound()).isEqualTo(
                new LastOutbound(null, Channel.WHATSAPP, OutboundStatus.FAILED, 131047, null, AT, null));
        assertThat(WireMapping.toSession(undelivered).lastOutbound()).isEqualTo(
                new LastOutbound(null, Channel.SMS, OutboundStatus.FAILED, 30003, null, AT, null));
        assertThat(WireMapping.toSession(read).lastOutbound().status()).isEqualTo(OutboundStatus.READ);
        assertThat(WireMapping.toSession(rejected).lastOutbound().status()).isEqualTo(OutboundStatus.REJECTED);
        assertThat(WireMapping.toSession(legacy("SOMETHING_NEW", null)).lastOutbound().status())
                .isEqualTo(OutboundStatus.UNKNOWN);
    }

    @Test
    void shouldHaveNoLastOutboundBeforeTheFirstReply() {
        SessionState none = SessionState.newBuilder().setTenantId("demo").setConversationId("1:2").setPhoneNumberId("1")
                .setVersion(1).setUpdatedAt(AT).build();

        assertThat(WireMapping.toSession(none).lastOutbound()).isNull();
        assertThat(WireMapping.toSession(none).lastOutboundAt()).isNull();
    }

    private static SessionState legacy(String outcome, com.answerline.avro.Channel channel) {
        return SessionState.newBuilder().setTenantId("demo").setConversationId("100000000000001:15551230001")
                .setPhoneNumberId("100000000000001").setVersion(3).setUpdatedAt(AT)
                .setLastOutboundOutcome(outcome).setLastOutboundChannel(channel).setLastOutboundAt(AT).build();
    }

    @Test
    void shouldReadEveryChannelOfTheWireAndWriteItBackTheSame() {
        // Given a last reply on each channel the contract has (WHATSAPP_DIRECT_SEND the newest)
        for (com.answerline.avro.Channel wire : com.answerline.avro.Channel.values()) {
            Channel channel = Channel.valueOf(wire.name());
            LastOutbound last = new LastOutbound("cmd-1", channel, OutboundStatus.SENT, null, "wamid.out", AT, null);
            Session session = Session.empty("demo", "100000000000001:15551230001", "100000000000001").toBuilder()
                    .lastOutbound(last).updatedAt(AT).build();

            // When it is written and read back, then it is the same channel
            assertThat(WireMapping.toSession(WireMapping.toState(session)).lastOutbound().channel()).isEqualTo(channel);
        }
    }
}
