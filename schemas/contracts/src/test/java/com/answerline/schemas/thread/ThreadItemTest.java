package com.answerline.schemas.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.CostEstimate;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.avro.TemplateRef;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.avro.ThreadReaction;
import tools.jackson.databind.json.JsonMapper;

class ThreadItemTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void shouldGiveAnInboundDocumentItsMediaLinkReactionAndTheDetailsItDoesNotMap() {
        // Given a customer's document with a caption, a reaction and a field this view does not know
        ThreadMessage message = inbound("document", "the invoice", Map.of("media_id", "MID-1", "mime_type",
                "application/pdf", "filename", "invoice.pdf", "file_size", "2048", "sha256", "abc"));
        message.setReactions(List.of(new ThreadReaction("👍", AT.plusSeconds(5))));

        // When
        ThreadItem item = ThreadItem.of(message);

        // Then
        assertThat(item.id()).isEqualTo("in:wamid.1");
        assertThat(item.media()).isEqualTo(new ThreadItem.Media("MID-1", "application/pdf", "invoice.pdf", 2048L,
                "/api/v1/conversations/100000000000001:15551230001/media/MID-1"));
        assertThat(item.reactions()).containsExactly(new ThreadItem.Reaction("👍", AT.plusSeconds(5)));
        assertThat(item.details()).containsExactly(Map.entry("sha256", "abc"));
        assertThat(item.location()).isNull();
    }

    @Test
    void shouldStructureLocationContactsAndInteractiveReplies() {
        assertThat(ThreadItem.of(inbound("location", null, Map.of("latitude", "52.5", "longitude", "13.4",
                "name", "Office"))).location()).isEqualTo(new ThreadItem.Location(52.5, 13.4, "Office", null, null));
        assertThat(ThreadItem.of(inbound("contacts", null, Map.of("contact_count", "1",
                "contacts", "[{\"name\":\"Ann\",\"phones\":[\"+4917000\"]}]"))).contacts())
                .containsExactly(new ThreadItem.Contact("Ann", List.of("+4917000")));
        assertThat(ThreadItem.of(inbound("interactive", "Yes", Map.of("interactive_type", "button_reply",
                "reply_id", "yes-1"))).interactive())
                .isEqualTo(new ThreadItem.Interactive("button_reply", "yes-1", "Yes", null));
    }

    @Test
    void shouldLinkTheTwoMessagesOfAFailoverAndShowTheDeliveryAndCost() throws Exception {
        // Given a WhatsApp reply that failed with 131047 and was failed over
        ThreadMessage failed = outbound(SendStep.REPLY);
        failed.setDelivery(DeliveryLifecycle.newBuilder().setState(DeliveryState.FAILED).setAcceptedAt(AT)
                .setFailedAt(AT.plusSeconds(2)).setErrorCode(131047).setErrorTitle("Re-engagement message").build());
        failed.setFailoverEntryId("out:cmd-1/FAILOVER");
        ThreadMessage failover = outbound(SendStep.FAILOVER);
        failover.setFailoverOfEntryId("out:cmd-1/REPLY");

        // When
        ThreadItem first = ThreadItem.of(failed);
        ThreadItem second = ThreadItem.of(failover);

        // Then
        assertThat(first.failover()).isEqualTo(new ThreadItem.Failover(null, "out:cmd-1/FAILOVER"));
        assertThat(second.failover()).isEqualTo(new ThreadItem.Failover("out:cmd-1/REPLY", null));
        assertThat(first.delivery().errorCode()).isEqualTo(131047);
        assertThat(first.estimatedCost()).isEqualTo(new ThreadItem.Cost("EUR", "0.0456", 45_600, "UTILITY DE"));
        String json = JsonMapper.builder().build().writeValueAsString(first);
        assertThat(json).contains("\"replacedBy\":\"out:cmd-1/FAILOVER\"").doesNotContain("\"media\"")
                .doesNotContain("null");
    }

    private static ThreadMessage inbound(String type, String text, Map<String, String> details) {
        return ThreadMessage.newBuilder().setTenantId("demo").setConversationId("100000000000001:15551230001")
                .setEntryId(ThreadItem.inboundEntryId("wamid.1")).setDirection(ThreadDirection.INBOUND)
                .setChannel(Channel.WHATSAPP).setAt(AT).setProviderMessageId("wamid.1").setType(type).setText(text)
                .setDetails(Map.copyOf(details)).setUpdatedAt(AT).build();
    }

    private static ThreadMessage outbound(SendStep step) {
        return ThreadMessage.newBuilder().setTenantId("demo").setConversationId("100000000000001:15551230001")
                .setEntryId(ThreadItem.outboundEntryId("cmd-1", step.name())).setDirection(ThreadDirection.OUTBOUND)
                .setChannel(Channel.WHATSAPP).setAt(AT).setType("text").setText("Hi").setCommandId("cmd-1")
                .setStep(step).setAgentId("agent-7").setTemplate((TemplateRef) null)
                .setOutcomeStatus(OutcomeStatus.SENT).setOutcomeReason(OutcomeReason.WINDOW_OPEN)
                .setEstimatedCost(new CostEstimate("EUR", 45_600L, "UTILITY DE")).setUpdatedAt(AT).build();
    }
}
