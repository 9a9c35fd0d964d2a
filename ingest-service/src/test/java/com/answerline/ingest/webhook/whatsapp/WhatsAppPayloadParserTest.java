package com.answerline.ingest.webhook.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.CustomerMessage;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.MessageStatus;

class WhatsAppPayloadParserTest {

    private static WhatsAppNotification notification;
    private static Map<String, CustomerMessage> messages;

    @BeforeAll
    static void parseTheMultiEntryPayload() throws IOException {
        try (InputStream in = WhatsAppPayloadParserTest.class.getResourceAsStream("/whatsapp/multi-entry.json")) {
            notification = new WhatsAppPayloadParser().parse(in.readAllBytes());
        }
        messages = notification.changes().stream().flatMap(c -> c.messages().stream())
                .collect(Collectors.toMap(CustomerMessage::id, Function.identity()));
    }

    @Test
    void shouldKeepEveryEntryAndChangeWithItsBusinessNumber() {
        assertThat(notification.changes()).extracting(WhatsAppNotification.Change::phoneNumberId)
                .containsExactly("100000000000001", "100000000000002");
        assertThat(notification.changes()).extracting(WhatsAppNotification.Change::wabaId)
                .containsExactly("200000000000001", "200000000000002");
        assertThat(notification.messageCount()).isEqualTo(9);
        assertThat(notification.statusCount()).isEqualTo(2);
    }

    @Test
    void shouldReadATextWithTheCustomersSendTimeAndBothIdentifiers() {
        CustomerMessage text = messages.get("wamid.TEXT1");
        assertThat(text.type()).isEqualTo("text");
        assertThat(text.text()).isEqualTo("Hello, where is my order?");
        assertThat(text.sentAt()).isEqualTo(Instant.ofEpochSecond(1763900000L));
        assertThat(text.customer().phone()).isEqualTo("31612345678");
        assertThat(text.customer().bsuid()).isEqualTo("NL.13491208655302741918");
        assertThat(text.customer().profileName()).isEqualTo("Ada Lovelace");
    }

    @Test
    void shouldReadAUsernameOnlyCustomerWithoutAPhoneNumber() {
        // DOMAIN 2a: since 2026 a customer with a username may arrive without wa_id and from.
        CustomerMessage message = messages.get("wamid.USERNAME1");
        assertThat(message.customer().phone()).isNull();
        assertThat(message.customer().bsuid()).isEqualTo("US.99887766554433221100");
        assertThat(message.customer().parentUserId()).isEqualTo("US.ENT.1122334455");
        assertThat(message.customer().username()).isEqualTo("grace.h");
        assertThat(message.customer().profileName()).isEqualTo("Grace");
        assertThat(message.text()).isEqualTo("hi from a username");
    }

    @Test
    void shouldKeepTheCaptionAndMediaFieldsOfAnImageAndItsReplyContext() {
        CustomerMessage image = messages.get("wamid.IMAGE1");
        assertThat(image.text()).isEqualTo("the broken part");
        assertThat(image.details()).containsEntry("media_id", "MEDIA1").containsEntry("mime_type", "image/jpeg");
        assertThat(image.contextMessageId()).isEqualTo("wamid.OURS1");
    }

    @Test
    void shouldReadInteractiveButtonReactionAndLocationBodies() {
        assertThat(messages.get("wamid.INTERACTIVE1").text()).isEqualTo("Yes please");
        assertThat(messages.get("wamid.INTERACTIVE1").details())
                .containsEntry("interactive_type", "button_reply").containsEntry("reply_id", "yes-1");
        assertThat(messages.get("wamid.BUTTON1").text()).isEqualTo("👍");
        assertThat(messages.get("wamid.BUTTON1").details()).containsEntry("payload", "THUMBS_UP");
        assertThat(messages.get("wamid.REACTION1").text()).isEqualTo("❤️");
        assertThat(messages.get("wamid.REACTION1").details()).containsEntry("reacted_message_id", "wamid.OURS1");
        assertThat(messages.get("wamid.LOCATION1").text()).isNull();
        assertThat(messages.get("wamid.LOCATION1").details())
                .containsEntry("latitude", "52.37").containsEntry("longitude", "4.89").containsEntry("name", "Office");
    }

    @Test
    void shouldKeepAnUnknownTypeByNameWithoutText() {
        CustomerMessage future = messages.get("wamid.FUTURE1");
        assertThat(future.type()).isEqualTo("hologram");
        assertThat(future.text()).isNull();
    }

    @Test
    void shouldReadTheAdReferral() {
        var referral = messages.get("wamid.AD1").referral();
        assertThat(referral).isNotNull();
        assertThat(referral.sourceType()).isEqualTo("ad");
        assertThat(referral.sourceId()).isEqualTo("ADID");
        assertThat(referral.ctwaClid()).isEqualTo("CLID");
        assertThat(messages.get("wamid.TEXT1").referral()).isNull();
    }

    @Test
    void shouldReadAFailedStatusWithError131047AndAPricedDeliveredStatus() {
        List<MessageStatus> statuses = notification.changes().get(1).statuses();
        MessageStatus failed = statuses.get(0);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.recipientPhone()).isEqualTo("4915112345678");
        assertThat(failed.recipientBsuid()).isEqualTo("DE.1234");
        assertThat(failed.occurredAt()).isEqualTo(Instant.ofEpochSecond(1763900100L));
        assertThat(failed.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(131047);
            assertThat(error.details()).contains("24 hours");
        });
        MessageStatus delivered = statuses.get(1);
        assertThat(delivered.pricingCategory()).isEqualTo("service");
        assertThat(delivered.pricingType()).isEqualTo("free_customer_service");
        assertThat(delivered.billable()).isFalse();
    }

    @Test
    void shouldNameTheMissingFieldOfAnIncompleteMessage() {
        String payload = """
                {"entry":[{"id":"1","changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "messages":[{"from":"31612345678","id":"wamid.A","timestamp":"1","type":"text","text":{"body":"a"}},
                             {"from":"31612345678","id":"wamid.B","type":"text","text":{"body":"b"}}]}}]}]}
                """;
        assertThatThrownBy(() -> parse(payload))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.field()).isEqualTo("entry[0].changes[0].value.messages[1].timestamp"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"99999999999999999\"", "99999999999999999", "1e30", "1.5", "\"-1\"", "-5"})
    void shouldRefuseATimestampThatIsNoUnixTimeWithA400NamingIt(String timestamp) {
        // Found by the bad-input suite: a huge number overflowed Instant and answered 500
        String payload = """
                {"entry":[{"id":"1","changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "messages":[{"from":"31612345678","id":"wamid.A","timestamp":%s,"type":"text","text":{"body":"a"}}]}}]}]}
                """.formatted(timestamp);
        assertThatThrownBy(() -> parse(payload))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.field()).isEqualTo("entry[0].changes[0].value.messages[0].timestamp"));
    }

    @Test
    void shouldKeepTheSharedContactsNamesAndPhonesAsAJsonArray() {
        // Given a customer who shares two contact cards, one with two phones (one given by its wa_id only)
        String payload = """
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "contacts":[{"profile":{"name":"Ada"},"wa_id":"31612345678"}],
                 "messages":[{"from":"31612345678","id":"wamid.CONTACTS1","timestamp":"1763900000","type":"contacts",
                  "contacts":[
                   {"name":{"formatted_name":"Ann Example","first_name":"Ann"},
                    "phones":[{"phone":"+49 170 1234567","type":"CELL"},{"wa_id":"4917012345678","type":"WORK"}],
                    "emails":[{"email":"ann@example.com"}]},
                   {"name":{"first_name":"Bob"},"phones":[]}]}]}}]}]}
                """;

        // When it is parsed
        CustomerMessage message = parse(payload).changes().get(0).messages().get(0);

        // Then the cards' names and phones are kept as one JSON array, with the count
        assertThat(message.type()).isEqualTo("contacts");
        assertThat(message.text()).isNull();
        assertThat(message.details())
                .containsEntry("contact_count", "2")
                .containsEntry("contacts", "[{\"name\":\"Ann Example\",\"phones\":[\"+49 170 1234567\",\"4917012345678\"]},"
                        + "{\"name\":null,\"phones\":[]}]");
    }

    @Test
    void shouldKeepTheFileSizeOfAMediaMessageWhenTheWebhookCarriesIt() {
        String payload = """
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "messages":[{"from":"31612345678","id":"wamid.DOC1","timestamp":"1763900000","type":"document",
                  "document":{"id":"MEDIA2","mime_type":"application/pdf","filename":"invoice.pdf","file_size":48213,
                   "sha256":"abc"}},
                  {"from":"31612345678","id":"wamid.IMG2","timestamp":"1763900001","type":"image",
                   "image":{"id":"MEDIA3","mime_type":"image/jpeg"}}]}}]}]}
                """;

        List<CustomerMessage> parsed = parse(payload).changes().get(0).messages();

        assertThat(parsed.get(0).details()).containsEntry("media_id", "MEDIA2").containsEntry("filename", "invoice.pdf")
                .containsEntry("file_size", "48213");
        assertThat(parsed.get(1).details()).containsEntry("media_id", "MEDIA3").doesNotContainKey("file_size");
    }

    @Test
    void shouldNameAListThatIsNotAnArray() {
        String value = "{\"metadata\":{\"phone_number_id\":\"100000000000001\"},%s}";
        Map<String, String> cases = Map.of(
                "{\"entry\":[{\"changes\":{\"a\":1}}]}", "entry[0].changes",
                "{\"entry\":[{\"changes\":[{\"value\":" + value.formatted("\"messages\":{\"a\":1}") + "}]}]}",
                "entry[0].changes[0].value.messages",
                "{\"entry\":[{\"changes\":[{\"value\":" + value.formatted("\"statuses\":\"x\"") + "}]}]}",
                "entry[0].changes[0].value.statuses",
                "{\"entry\":[{\"changes\":[{\"value\":" + value.formatted("\"errors\":{\"code\":1}") + "}]}]}",
                "entry[0].changes[0].value.errors");
        cases.forEach((payload, field) -> assertThatThrownBy(() -> parse(payload))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field)));
    }

    @Test
    void shouldRefuseAMessageWithNeitherPhoneNorUserId() {
        String payload = """
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "messages":[{"id":"wamid.A","timestamp":"1","type":"text","text":{"body":"a"}}]}}]}]}
                """;
        assertThatThrownBy(() -> parse(payload))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.field()).isEqualTo("entry[0].changes[0].value.messages[0].from"));
    }

    @Test
    void shouldNameAMissingPhoneNumberIdAndRefuseMalformedJson() {
        assertThatThrownBy(() -> parse("{\"entry\":[{\"changes\":[{\"value\":{\"metadata\":{}}}]}]}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.field()).isEqualTo("entry[0].changes[0].value.metadata.phone_number_id"));
        assertThatThrownBy(() -> parse("{\"entry\": [")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("{}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("entry"));
    }

    private static WhatsAppNotification parse(String json) {
        return new WhatsAppPayloadParser().parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
