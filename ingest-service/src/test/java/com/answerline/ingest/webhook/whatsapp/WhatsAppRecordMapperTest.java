package com.answerline.ingest.webhook.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.SendStep;
import com.answerline.ingest.identity.CustomerNumbers;
import com.answerline.ingest.identity.CustomerResolver;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.webhook.whatsapp.WhatsAppRecordMapper.UnroutedCause;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;
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
        var mapped = mapper.map(payload(), RECEIVED, new CustomerResolver(key -> Optional.empty()));
        // Then
        assertThat(mapped.unroutedChanges()).isZero();
        assertThat(mapped.unrouted()).isEmpty();
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
        var mapped = mapper.map(payload(), RECEIVED, new CustomerResolver(key -> Optional.empty()));
        // Then
        assertThat(mapped.unroutedChanges()).isEqualTo(1);
        assertThat(mapped.unrouted()).containsExactly(new WhatsAppRecordMapper.Unrouted("100000000000002", UnroutedCause.UNKNOWN_NUMBER));
        // the routed entry's records are all there, next to the unrouted one
        assertThat(mapped.records()).hasSize(9).allSatisfy(r -> assertThat(r.key()).startsWith("100000000000001:"));
    }

    @Test
    void shouldRouteAChangeWhoseEntryIdIsTheWabaOfTheTenantThatOwnsTheNumber() {
        // Given demo owns 100000000000001 in WABA 200000000000001
        // When a webhook names that WABA
        var mapped = new WhatsAppRecordMapper(BOTH_TENANTS).map(parse(text("200000000000001", "100000000000001", "wamid.W1")),
                RECEIVED, new CustomerResolver(key -> Optional.empty()));
        // Then its message is demo's
        assertThat(mapped.unrouted()).isEmpty();
        assertThat(mapped.records()).singleElement()
                .satisfies(r -> assertThat(((InboundMessage) r.value()).getTenantId()).isEqualTo("demo"));
    }

    @Test
    void shouldNotRouteAChangeWhoseEntryIdIsAnotherTenantsWaba() {
        // Given demo owns 100000000000001; 200000000000002 is the WABA of tenant other
        // When a signed webhook names other's WABA for demo's number (issue 17: entry.id was never checked)
        var mapped = new WhatsAppRecordMapper(BOTH_TENANTS).map(parse(text("200000000000002", "100000000000001", "wamid.W2")),
                RECEIVED, new CustomerResolver(key -> Optional.empty()));
        // Then nothing is published for either tenant: the change is unrouted, with the cause
        assertThat(mapped.records()).isEmpty();
        assertThat(mapped.unroutedChanges()).isEqualTo(1);
        assertThat(mapped.unrouted()).containsExactly(
                new WhatsAppRecordMapper.Unrouted("100000000000001", UnroutedCause.WABA_MISMATCH));
        assertThat(UnroutedCause.WABA_MISMATCH.reason()).isEqualTo("entry.id is not the WABA of the tenant that owns phone_number_id");
    }

    @Test
    void shouldNotRouteAChangeWhoseEntryHasNoId() {
        // Given DOMAIN.md section 2: every entry carries its WABA id ({"id": WABA_ID, "changes": [...]})
        // When an entry comes without one
        var mapped = new WhatsAppRecordMapper(BOTH_TENANTS).map(parse(text(null, "100000000000001", "wamid.W3")),
                RECEIVED, new CustomerResolver(key -> Optional.empty()));
        // Then it cannot be shown to be the tenant's: unrouted, with that cause
        assertThat(mapped.records()).isEmpty();
        assertThat(mapped.unrouted()).containsExactly(
                new WhatsAppRecordMapper.Unrouted("100000000000001", UnroutedCause.WABA_MISSING));
    }

    /** A one-message webhook; {@code wabaId} null leaves entry.id out. */
    private static String text(String wabaId, String phoneNumberId, String wamid) {
        return "{\"entry\":[{" + (wabaId == null ? "" : "\"id\":\"" + wabaId + "\",")
                + "\"changes\":[{\"value\":{\"metadata\":{\"phone_number_id\":\"" + phoneNumberId + "\"},"
                + "\"messages\":[{\"from\":\"31612345678\",\"id\":\"" + wamid + "\",\"timestamp\":\"1763900000\","
                + "\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]}]}";
    }

    private static final TenantDirectory BOTH_TENANTS = new TenantDirectory(List.of(
            new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"),
            new BusinessNumber("other", "100000000000002", "15550000002", "200000000000002")));

    @Test
    void shouldCollectEveryNewIdentifierOfTheBatchForTheDirectory() throws IOException {
        var customers = new CustomerResolver(key -> Optional.empty());
        new WhatsAppRecordMapper(BOTH_TENANTS).map(payload(), RECEIVED, customers);
        assertThat(customers.newIdentities()).containsExactly(
                Map.entry("100000000000001:31612345678", "100000000000001:31612345678"),
                Map.entry("100000000000001:NL.13491208655302741918", "100000000000001:31612345678"),
                Map.entry("100000000000001:US.99887766554433221100", "100000000000001:US.99887766554433221100"),
                Map.entry("100000000000002:4915112345678", "100000000000002:4915112345678"),
                Map.entry("100000000000002:DE.1234", "100000000000002:4915112345678"));
    }

    @Test
    void shouldPutAUsernameOnlyMessageAndAStatusOfAKnownCustomerInTheirConversation() {
        // Given the directory knows the customer's BSUID from an earlier message with their number
        Map<String, String> directory = Map.of("100000000000001:NL.1349", "100000000000001:31612345678");
        var customers = new CustomerResolver(key -> Optional.ofNullable(directory.get(key)));
        // When a username-only message and a status carrying only recipient_user_id arrive
        var mapped = new WhatsAppRecordMapper(BOTH_TENANTS).map(parse("""
                {"entry":[{"id":"200000000000001","changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "contacts":[{"profile":{"name":"Ada","username":"ada.l"},"user_id":"NL.1349"}],
                 "messages":[{"from_user_id":"NL.1349","id":"wamid.U1","timestamp":"1763900000","type":"text","text":{"body":"hi"}}],
                 "statuses":[{"id":"wamid.OURS9","status":"read","timestamp":"1763900001","recipient_user_id":"NL.1349"}]}}]}]}
                """), RECEIVED, customers);
        // Then both land in the phone-keyed conversation, and nothing new is written
        assertThat(mapped.records()).extracting(OutgoingRecord::key)
                .containsExactly("100000000000001:31612345678", "100000000000001:31612345678");
        assertThat(((InboundMessage) mapped.records().get(0).value()).getConversationId()).isEqualTo("100000000000001:31612345678");
        assertThat(customers.records()).isEmpty();
    }

    @Test
    void shouldKeyAStatusByTheConversationItsCallbackDataNamesWithTheCommandAndStep() {
        // Given a reply sent to a BSUID-keyed conversation, and the directory not (yet) linking the phone to it
        var customers = new CustomerResolver(key -> Optional.empty());
        // When its status reports the customer by phone and echoes the send's biz_opaque_callback_data
        var mapped = new WhatsAppRecordMapper(BOTH_TENANTS).map(parse("""
                {"entry":[{"id":"200000000000001","changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "statuses":[{"id":"wamid.OURS9","status":"delivered","timestamp":"1763900001","recipient_id":"31612345678",
                   "biz_opaque_callback_data":"al1|100000000000001:NL.1349|cmd-1|REPLY"}]}}]}]}
                """), RECEIVED, customers);
        // Then the status goes to the send's conversation (its partition) and names the command and step
        assertThat(mapped.records()).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("100000000000001:NL.1349");
            DeliveryStatus status = (DeliveryStatus) record.value();
            assertThat(status.getConversationId()).isEqualTo("100000000000001:NL.1349");
            assertThat(status.getCommandId()).isEqualTo("cmd-1");
            assertThat(status.getStep()).isEqualTo(SendStep.REPLY);
            assertThat(status.getRecipientPhone()).isEqualTo("31612345678");
        });
    }

    @Test
    void shouldMapAStatusAsBeforeWhenItsCallbackDataIsForeignMalformedOrOfAnotherNumber() {
        for (String data : new String[] {"\"order-4711\"", "\"al1|100000000000001:NL.1349|cmd-1\"", "\"\"", "42", "{\"a\":1}",
                "\"al1|100000000000002:NL.1349|cmd-1|REPLY\"", "\"al1|100000000000001:NL.1349|cmd-1|RESEND\""}) {
            var mapped = new WhatsAppRecordMapper(BOTH_TENANTS).map(parse("""
                    {"entry":[{"id":"200000000000001","changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                     "statuses":[{"id":"wamid.OURS9","status":"sent","timestamp":"1763900001","recipient_id":"31612345678",
                       "biz_opaque_callback_data":%s}]}}]}]}
                    """.formatted(data)), RECEIVED, new CustomerResolver(key -> Optional.empty()));

            assertThat(mapped.records()).as(data).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("100000000000001:31612345678");
                assertThat(((DeliveryStatus) record.value()).getCommandId()).isNull();
                assertThat(((DeliveryStatus) record.value()).getStep()).isNull();
            });
        }
    }

    @Test
    void shouldDeadLetterAMessageAndAStatusWithAnImpossibleNumberAndMapTheRest() {
        var customers = new CustomerResolver(key -> Optional.empty());
        var mapped = new WhatsAppRecordMapper(BOTH_TENANTS).map(parse("""
                {"entry":[{"id":"200000000000001","changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "messages":[{"from":"123","id":"wamid.BAD","timestamp":"1763900000","type":"text","text":{"body":"x"}},
                             {"from":"31612345678","id":"wamid.GOOD","timestamp":"1763900001","type":"text","text":{"body":"y"}}],
                 "statuses":[{"id":"wamid.OURS9","status":"sent","timestamp":"1763900002","recipient_id":"0031612345678"}]}}]}]}
                """), RECEIVED, customers);
        assertThat(mapped.records()).hasSize(3);
        OutgoingRecord<?> bad = mapped.records().get(0);
        assertThat(bad.deadLetter()).isTrue();
        assertThat(bad.destination()).isEqualTo("inbound-messages-dlt");
        assertThat(bad.key()).isEqualTo("100000000000001:123");
        assertThat(bad.headers()).containsEntry(OutgoingRecord.DLT_REASON, CustomerNumbers.INVALID_NUMBER_REASON)
                .containsEntry(OutgoingRecord.DLT_ORIGINAL_TOPIC, "inbound-messages");
        assertThat(bad.headers().get(OutgoingRecord.DLT_EXCEPTION_MESSAGE)).contains("from").contains("E.164");
        OutgoingRecord<?> good = mapped.records().get(1);
        assertThat(good.deadLetter()).isFalse();
        assertThat(good.destination()).isEqualTo("inbound-messages");
        assertThat(mapped.records().get(2).destination()).isEqualTo("delivery-statuses-dlt");
        // only the good customer enters the directory
        assertThat(customers.newIdentities()).containsOnlyKeys("100000000000001:31612345678");
    }

    @Test
    void shouldGiveARedeliveredWebhookTheSameEventIdentitySoDownstreamDedupDropsIt() throws IOException {
        // Given a first delivery whose new identifiers reached the directory
        var mapper = new WhatsAppRecordMapper(BOTH_TENANTS);
        var first = new CustomerResolver(key -> Optional.empty());
        var firstRecords = mapper.map(payload(), RECEIVED, first).records();
        Map<String, String> directory = new HashMap<>(first.newIdentities());
        // When Meta redelivers the same payload later
        var second = new CustomerResolver(key -> Optional.ofNullable(directory.get(key)));
        var secondRecords = mapper.map(payload(), RECEIVED.plusSeconds(3600), second).records();
        // Then every record has the same key and provider id (session-service dedups on conversation + wamid)
        assertThat(secondRecords).extracting(WhatsAppRecordMapperTest::eventIdentity)
                .containsExactlyElementsOf(firstRecords.stream().map(WhatsAppRecordMapperTest::eventIdentity).toList());
        assertThat(second.records()).isEmpty();
    }

    private static String eventIdentity(OutgoingRecord<?> record) {
        String id = record.value() instanceof InboundMessage m ? m.getMessageId()
                : ((DeliveryStatus) record.value()).getProviderMessageId() + "/" + ((DeliveryStatus) record.value()).getStatus();
        return record.destination() + "|" + record.key() + "|" + id + "|" + record.timestamp();
    }

    private static WhatsAppNotification parse(String json) {
        return new WhatsAppPayloadParser().parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
