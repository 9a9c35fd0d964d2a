package com.answerline.ingest.webhook.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.InboundMessage;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.tenant.BusinessNumber;
import com.answerline.ingest.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;

class WhatsAppRecordMapperTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-25T12:00:00Z");

    private static WhatsAppNotification payload() throws IOException {
        try (InputStream in = WhatsAppRecordMapperTest.class.getResourceAsStream("/whatsapp/multi-entry.json")) {
            return new WhatsAppPayloadParser().parse(in.readAllBytes());
        }
    }

    @Test
    void shouldPublishOneRecordPerMessageAndStatusKeyedByConversationAtWhatsAppsTime() throws IOException {
        // Given both business numbers belong to tenants
        var mapper = new WhatsAppRecordMapper(new TenantDirectory(List.of(
                new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"),
                new BusinessNumber("other", "100000000000002", "15550000002", "200000000000002"))));
        // When
        var mapped = mapper.map(payload(), RECEIVED);
        // Then
        assertThat(mapped.unroutedChanges()).isZero();
        assertThat(mapped.unroutedPhoneNumberIds()).isEmpty();
        assertThat(mapped.records()).hasSize(11);
        OutgoingRecord<?> first = mapped.records().get(0);
        assertThat(first.topic()).isEqualTo(Topics.INBOUND_MESSAGES);
        assertThat(first.key()).isEqualTo("100000000000001:31612345678");
        assertThat(first.timestamp()).isEqualTo(Instant.ofEpochSecond(1763900000L));
        InboundMessage text = (InboundMessage) first.value();
        assertThat(text.getTenantId()).isEqualTo("demo");
        assertThat(text.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(text.getSentAt()).isEqualTo(Instant.ofEpochSecond(1763900000L));
        assertThat(text.getReceivedAt()).isEqualTo(RECEIVED);
        assertThat(text.getCustomerBsuid()).isEqualTo("NL.13491208655302741918");

        InboundMessage usernameOnly = (InboundMessage) mapped.records().get(2).value();
        assertThat(mapped.records().get(2).key()).isEqualTo("100000000000001:US.99887766554433221100");
        assertThat(usernameOnly.getCustomerPhone()).isNull();

        OutgoingRecord<?> failed = mapped.records().get(9);
        assertThat(failed.topic()).isEqualTo(Topics.DELIVERY_STATUSES);
        assertThat(failed.key()).isEqualTo("100000000000002:4915112345678");
        DeliveryStatus status = (DeliveryStatus) failed.value();
        assertThat(status.getTenantId()).isEqualTo("other");
        assertThat(status.getStatus()).isEqualTo(DeliveryState.FAILED);
        assertThat(status.getErrors()).singleElement().satisfies(e -> assertThat(e.getCode()).isEqualTo(131047));
    }

    @Test
    void shouldSkipAndReportAChangeForANumberNoTenantOwns() throws IOException {
        // Given only the first business number is configured
        var mapper = new WhatsAppRecordMapper(new TenantDirectory(List.of(
                new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"))));
        // When
        var mapped = mapper.map(payload(), RECEIVED);
        // Then
        assertThat(mapped.unroutedChanges()).isEqualTo(1);
        assertThat(mapped.unroutedPhoneNumberIds()).containsExactly("100000000000002");
        // the routed entry's records are all there, next to the unrouted one
        assertThat(mapped.records()).hasSize(9).allSatisfy(r -> assertThat(r.key()).startsWith("100000000000001:"));
    }
}
