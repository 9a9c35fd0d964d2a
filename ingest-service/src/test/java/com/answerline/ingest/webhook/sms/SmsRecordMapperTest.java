package com.answerline.ingest.webhook.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.SendStep;
import com.answerline.ingest.identity.CustomerResolver;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;

class SmsRecordMapperTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final CustomerResolver newCustomers = new CustomerResolver(key -> Optional.empty());
    private final SmsRecordMapper mapper = new SmsRecordMapper(new TenantDirectory(List.of(
            new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"))));

    @Test
    void shouldPutAnInboundSmsInTheSameConversationAsTheCustomersWhatsApp() {
        var record = mapper.inbound(Map.of("From", "+31612345678", "To", "+15550000001", "Body", "ok",
                "MessageSid", "SM1"), NOW, newCustomers).orElseThrow();
        assertThat(record.topic()).isEqualTo(Topics.INBOUND_MESSAGES);
        assertThat(record.key()).isEqualTo("100000000000001:31612345678");
        assertThat(record.value().getChannel()).isEqualTo(Channel.SMS);
        assertThat(record.value().getTenantId()).isEqualTo("demo");
        assertThat(record.value().getText()).isEqualTo("ok");
        assertThat(record.value().getMessageId()).isEqualTo("SM1");
    }

    @Test
    void shouldMapAStatusCallbackWithItsErrorCode() {
        var record = mapper.status(Map.of("MessageSid", "SM2", "MessageStatus", "undelivered", "ErrorCode", "30003",
                "From", "+15550000001", "To", "+31612345678"), Map.of(), NOW, newCustomers).orElseThrow();
        assertThat(record.topic()).isEqualTo(Topics.DELIVERY_STATUSES);
        assertThat(record.key()).isEqualTo("100000000000001:31612345678");
        assertThat(record.value().getStatus()).isEqualTo(DeliveryState.UNDELIVERED);
        assertThat(record.value().getErrors()).singleElement().satisfies(e -> assertThat(e.getCode()).isEqualTo(30003));
    }

    @Test
    void shouldKeyAStatusCallbackByTheConversationItsUrlNamesWithTheCommandAndStep() {
        // Given our SMS fallback of a conversation keyed by the customer's BSUID, its StatusCallback naming the send
        Map<String, String> query = Map.of("ref", "al1|100000000000001:NL.1349|cmd-1|FAILOVER");

        // When Twilio reports it delivered (by phone number, which the directory does not know yet)
        var record = mapper.status(Map.of("MessageSid", "SM8", "MessageStatus", "delivered",
                "From", "+15550000001", "To", "+31612345678"), query, NOW, newCustomers).orElseThrow();

        // Then the status goes to the send's conversation (its partition), naming the command and step
        assertThat(record.key()).isEqualTo("100000000000001:NL.1349");
        assertThat(record.value().getConversationId()).isEqualTo("100000000000001:NL.1349");
        assertThat(record.value().getCommandId()).isEqualTo("cmd-1");
        assertThat(record.value().getStep()).isEqualTo(SendStep.FAILOVER);
        assertThat(record.value().getRecipientPhone()).isEqualTo("31612345678");
    }

    @Test
    void shouldMapAStatusCallbackAsBeforeWhenItsReferenceIsForeignOrMalformed() {
        for (String ref : new String[] {"order-4711", "al1|100000000000001:NL.1349|cmd-1", "al1|200000000000002:NL.1349|cmd-1|REPLY",
                "al1|100000000000001:NL.1349|cmd-1|RESEND", "al9|100000000000001:NL.1349|cmd-1|REPLY"}) {
            var record = mapper.status(Map.of("MessageSid", "SM9", "MessageStatus", "sent",
                    "From", "+15550000001", "To", "+31612345678"), Map.of("ref", ref), NOW, newCustomers).orElseThrow();

            assertThat(record.key()).as(ref).isEqualTo("100000000000001:31612345678");
            assertThat(record.value().getCommandId()).as(ref).isNull();
            assertThat(record.value().getStep()).as(ref).isNull();
        }
    }

    @Test
    void shouldLeaveOutAnSmsToANumberNoTenantOwns() {
        assertThat(mapper.inbound(Map.of("From", "+31612345678", "To", "+15559999999", "Body", "x",
                "MessageSid", "SM3"), NOW, newCustomers)).isEmpty();
    }

    @Test
    void shouldPutAnSmsFromAKnownNumberInTheCustomersConversationEvenWhenKeyedByBsuid() {
        // Given the number is known for a conversation that started username-only
        var known = new CustomerResolver(key -> "100000000000001:31612345678".equals(key)
                ? Optional.of("100000000000001:NL.1349") : Optional.empty());
        // When the customer answers our SMS fallback
        var record = mapper.inbound(Map.of("From", "+31612345678", "To", "+15550000001", "Body", "ok",
                "MessageSid", "SM4"), NOW, known).orElseThrow();
        // Then it joins that conversation, and nothing new is written
        assertThat(record.key()).isEqualTo("100000000000001:NL.1349");
        assertThat(record.value().getConversationId()).isEqualTo("100000000000001:NL.1349");
        assertThat(known.records()).isEmpty();
    }

    @Test
    void shouldRecordTheNumberOfANewSmsCustomerInTheDirectory() {
        mapper.inbound(Map.of("From", "+31612345678", "To", "+15550000001", "Body", "ok", "MessageSid", "SM5"), NOW,
                newCustomers);
        assertThat(newCustomers.newIdentities()).containsExactly(
                Map.entry("100000000000001:31612345678", "100000000000001:31612345678"));
    }

    @Test
    void shouldDeadLetterAnInboundSmsOrStatusWhoseCustomerNumberIsNotE164() {
        var inbound = mapper.inbound(Map.of("From", "+0612", "To", "+15550000001", "Body", "ok",
                "MessageSid", "SM6"), NOW, newCustomers).orElseThrow();
        assertThat(inbound.deadLetter()).isTrue();
        assertThat(inbound.destination()).isEqualTo("inbound-messages-dlt");
        assertThat(inbound.headers()).containsEntry(OutgoingRecord.DLT_REASON, "invalid-customer-number")
                .containsEntry(OutgoingRecord.DLT_ORIGINAL_TOPIC, "inbound-messages");
        assertThat(inbound.headers().get(OutgoingRecord.DLT_EXCEPTION_MESSAGE)).startsWith("From: customer number must be");
        var status = mapper.status(Map.of("MessageSid", "SM7", "MessageStatus", "sent",
                "From", "+15550000001", "To", "not a number"), Map.of(), NOW, newCustomers).orElseThrow();
        assertThat(status.destination()).isEqualTo("delivery-statuses-dlt");
        assertThat(status.key()).isEqualTo("100000000000001:unknown");
        // and a refused number never enters the directory
        assertThat(newCustomers.records()).isEmpty();
    }
}
