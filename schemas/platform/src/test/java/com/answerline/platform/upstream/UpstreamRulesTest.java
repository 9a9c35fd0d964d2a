package com.answerline.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.answerline.avro.AssignmentChanged;
import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.ReplyCommand;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.platform.upstream.UpstreamRules.Violation;

class UpstreamRulesTest {

    static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");
    static final String CONVERSATION = "100000000000001:15557373878";
    static final TenantDirectory TENANTS = new TenantDirectory(List.of(
            new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"),
            new BusinessNumber("other", "100000000000002", "15550000002", "200000000000002")));

    private final UpstreamRules rules = new UpstreamRules(TENANTS, Clock.fixed(NOW, ZoneOffset.UTC));

    static InboundMessage.Builder inbound(String conversationId) {
        return InboundMessage.newBuilder()
                .setTenantId("demo").setConversationId(conversationId).setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP).setMessageId("wamid.1").setCustomerPhone("15557373878")
                .setType("text").setText("Hello").setSentAt(NOW.minusSeconds(60)).setReceivedAt(NOW);
    }

    static ReplyCommand.Builder reply(String conversationId) {
        return ReplyCommand.newBuilder()
                .setCommandId("cmd-1").setTenantId("demo").setConversationId(conversationId).setAgentId("agent-7")
                .setText("Hi, how can we help?").setIssuedAt(NOW);
    }

    @Test
    void shouldAcceptAWellFormedRecordOfEveryUpstreamContract() {
        assertThat(rules.check(CONVERSATION, inbound(CONVERSATION).build())).isEmpty();
        assertThat(rules.check(CONVERSATION, reply(CONVERSATION).build())).isEmpty();
        assertThat(rules.check(CONVERSATION, AssignmentChanged.newBuilder().setTenantId("demo")
                .setConversationId(CONVERSATION).setAssigneeId("agent-7").setChangedBy("agent-7").setChangedAt(NOW)
                .build())).isEmpty();
        assertThat(rules.check(CONVERSATION, ReplyCancellation.newBuilder().setCommandId("cmd-1").setTenantId("demo")
                .setConversationId(CONVERSATION).setAgentId("agent-7").setRequestedAt(NOW).build())).isEmpty();
        assertThat(rules.check(CONVERSATION, DeliveryStatus.newBuilder().setTenantId("demo")
                .setConversationId(CONVERSATION).setPhoneNumberId("100000000000001").setChannel(Channel.WHATSAPP)
                .setProviderMessageId("wamid.out").setStatus(DeliveryState.DELIVERED).setOccurredAt(NOW)
                .setReceivedAt(NOW).build())).isEmpty();
    }

    @Test
    void shouldRefuseAKeyThatIsNotTheConversationIdOrNoKey() {
        assertThat(rules.check("100000000000001:15550009999", inbound(CONVERSATION).build()))
                .contains(new Violation(UpstreamRule.KEY_NOT_CONVERSATION_ID, "key"));
        assertThat(rules.check(null, inbound(CONVERSATION).build()))
                .contains(new Violation(UpstreamRule.KEY_NOT_CONVERSATION_ID, "key"));
    }

    @Test
    void shouldRefuseAMalformedConversationId() {
        assertThat(rules.check("not-a-conversation-id", inbound("not-a-conversation-id").build()))
                .contains(new Violation(UpstreamRule.MALFORMED_CONVERSATION_ID, "conversationId"));
        assertThat(rules.check("abc:15557373878", reply("abc:15557373878").build()))
                .contains(new Violation(UpstreamRule.MALFORMED_CONVERSATION_ID, "conversationId"));
    }

    @Test
    void shouldRefuseAPhoneNumberIdThatIsNotTheConversationsBusinessNumber() {
        assertThat(rules.check(CONVERSATION, inbound(CONVERSATION).setPhoneNumberId("100000000000002").build()))
                .contains(new Violation(UpstreamRule.PHONE_NUMBER_ID_NOT_IN_CONVERSATION, "phoneNumberId"));
    }

    @Test
    void shouldRefuseABusinessNumberNoTenantOwns() {
        String unowned = "999999999999999:15557373878";
        assertThat(rules.check(unowned, inbound(unowned).setPhoneNumberId("999999999999999").build()))
                .contains(new Violation(UpstreamRule.UNKNOWN_BUSINESS_NUMBER, "conversationId"));
    }

    @Test
    void shouldRefuseATenantThatDoesNotOwnTheBusinessNumber() {
        assertThat(rules.check(CONVERSATION, reply(CONVERSATION).setTenantId("other").build()))
                .contains(new Violation(UpstreamRule.TENANT_DOES_NOT_OWN_NUMBER, "tenantId"));
    }

    @Test
    void shouldRefuseABlankRequiredString() {
        assertThat(rules.check(CONVERSATION, reply(CONVERSATION).setAgentId(" ").build()))
                .contains(new Violation(UpstreamRule.BLANK_FIELD, "agentId"));
    }

    @Test
    void shouldAllowAReplyTextOfWhatsAppsLimitButNotOneCharacterMore() {
        assertThat(rules.check(CONVERSATION, reply(CONVERSATION).setText("a".repeat(4_096)).build())).isEmpty();
        assertThat(rules.check(CONVERSATION, reply(CONVERSATION).setText("a".repeat(4_097)).build()))
                .contains(new Violation(UpstreamRule.FIELD_TOO_LONG, "text"));
    }

    @Test
    void shouldAllowACustomersLongMessageButNotAnEndlessOne() {
        assertThat(rules.check(CONVERSATION, inbound(CONVERSATION).setText("a".repeat(10_000)).build())).isEmpty();
        assertThat(rules.check(CONVERSATION, inbound(CONVERSATION).setText("a".repeat(65_537)).build()))
                .contains(new Violation(UpstreamRule.FIELD_TOO_LONG, "text"));
    }

    @Test
    void shouldRefuseAnIdLongerThanTheDefaultLimit() {
        assertThat(rules.check(CONVERSATION, reply(CONVERSATION).setCommandId("c".repeat(1_025)).build()))
                .contains(new Violation(UpstreamRule.FIELD_TOO_LONG, "commandId"));
    }

    @Test
    void shouldRefuseATimeFurtherAheadThanTheClockSkewAndAcceptOneWithin() {
        assertThat(rules.check(CONVERSATION, inbound(CONVERSATION).setSentAt(NOW.plus(Duration.ofMinutes(14)))
                .setReceivedAt(NOW).build())).isEmpty();
        assertThat(rules.check(CONVERSATION, inbound(CONVERSATION).setSentAt(NOW.plus(Duration.ofHours(2))).build()))
                .contains(new Violation(UpstreamRule.TIME_IN_FUTURE, "sentAt"));
    }

    @Test
    void shouldRefuseATimeBeforeWhatsAppExistedSuchAsSecondsReadAsMilliseconds() {
        Instant secondsAsMillis = Instant.ofEpochMilli(NOW.getEpochSecond());
        assertThat(rules.check(CONVERSATION, reply(CONVERSATION).setIssuedAt(secondsAsMillis).build()))
                .contains(new Violation(UpstreamRule.TIME_BEFORE_WHATSAPP, "issuedAt"));
    }

    @Test
    void shouldReportTheFirstBrokenRuleOnly() {
        Optional<Violation> violation = rules.check("x", inbound("not-an-id").setText("a".repeat(70_000)).build());
        assertThat(violation).contains(new Violation(UpstreamRule.KEY_NOT_CONVERSATION_ID, "key"));
    }
}
