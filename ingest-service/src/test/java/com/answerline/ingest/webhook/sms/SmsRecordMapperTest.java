package com.answerline.ingest.webhook.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.ingest.tenant.BusinessNumber;
import com.answerline.ingest.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;

class SmsRecordMapperTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final SmsRecordMapper mapper = new SmsRecordMapper(new TenantDirectory(List.of(
            new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"))));

    @Test
    void shouldPutAnInboundSmsInTheSameConversationAsTheCustomersWhatsApp() {
        var record = mapper.inbound(Map.of("From", "+31612345678", "To", "+15550000001", "Body", "ok",
                "MessageSid", "SM1"), NOW).orElseThrow();
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
                "From", "+15550000001", "To", "+31612345678"), NOW).orElseThrow();
        assertThat(record.topic()).isEqualTo(Topics.DELIVERY_STATUSES);
        assertThat(record.key()).isEqualTo("100000000000001:31612345678");
        assertThat(record.value().getStatus()).isEqualTo(DeliveryState.UNDELIVERED);
        assertThat(record.value().getErrors()).singleElement().satisfies(e -> assertThat(e.getCode()).isEqualTo(30003));
    }

    @Test
    void shouldLeaveOutAnSmsToANumberNoTenantOwns() {
        assertThat(mapper.inbound(Map.of("From", "+31612345678", "To", "+15559999999", "Body", "x",
                "MessageSid", "SM3"), NOW)).isEmpty();
    }
}
