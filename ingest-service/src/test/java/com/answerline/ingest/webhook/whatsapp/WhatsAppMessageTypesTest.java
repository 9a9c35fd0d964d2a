package com.answerline.ingest.webhook.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.answerline.avro.InboundMessage;
import com.answerline.ingest.identity.CustomerResolver;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.CustomerMessage;

/**
 * Every message type of the Cloud API webhook (DOMAIN.md section 2), in the shape Meta sends it
 * ({@code whatsapp/all-message-types.json}; the other shapes: {@code multi-entry.json}), read by the parser and
 * mapped to one record each: none is dropped, each keeps its type name, its text and its type-specific fields.
 */
class WhatsAppMessageTypesTest {

    private static Map<String, CustomerMessage> messages;
    private static List<InboundMessage> records;

    @BeforeAll
    static void parseAndMap() throws IOException {
        WhatsAppNotification notification;
        try (InputStream in = WhatsAppMessageTypesTest.class.getResourceAsStream("/whatsapp/all-message-types.json")) {
            notification = new WhatsAppPayloadParser().parse(in.readAllBytes());
        }
        messages = notification.changes().get(0).messages().stream()
                .collect(Collectors.toMap(CustomerMessage::id, Function.identity()));
        records = new WhatsAppRecordMapper(new TenantDirectory(List.of(
                new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"))))
                .map(notification, Instant.parse("2026-11-25T12:00:00Z"), new CustomerResolver(key -> Optional.empty()))
                .records().stream().map(r -> (InboundMessage) r.value()).toList();
    }

    @Test
    void shouldMapEveryMessageToOneRecordInTheCustomersConversationKeepingItsTypeName() {
        assertThat(records).hasSize(16);
        assertThat(records).extracting(InboundMessage::getType).containsExactly("text", "image", "video", "audio",
                "document", "sticker", "contacts", "interactive", "interactive", "button", "order", "system",
                "unsupported", "reaction", "location", "poll_vote");
        assertThat(records).allSatisfy(record -> {
            assertThat(record.getConversationId()).isEqualTo("100000000000001:4915112345678");
            assertThat(record.getCustomerBsuid()).isEqualTo("DE.77665544332211");
            assertThat(record.getCustomerProfileName()).isEqualTo("Max Mustermann");
        });
    }

    @Test
    void shouldReadText() {
        assertThat(messages.get("wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjBGNzk4QTE2QjQ4RjE5NEYxAA==").text())
                .isEqualTo("Guten Tag");
    }

    @Test
    void shouldReadMediaWithCaptionAndMediaFields() {
        assertThat(messages.get("wamid.IMAGE2").text()).isEqualTo("the label");
        assertThat(messages.get("wamid.IMAGE2").details()).containsEntry("media_id", "1003383421387256")
                .containsEntry("mime_type", "image/jpeg");
        assertThat(messages.get("wamid.VIDEO1").text()).isEqualTo("it rattles");
        assertThat(messages.get("wamid.VIDEO1").details()).containsEntry("media_id", "1144985570143330")
                .containsEntry("mime_type", "video/mp4");
        assertThat(messages.get("wamid.AUDIO1").text()).isNull();
        assertThat(messages.get("wamid.AUDIO1").details()).containsEntry("voice", "true")
                .containsEntry("mime_type", "audio/ogg; codecs=opus");
        assertThat(messages.get("wamid.DOCUMENT1").text()).isEqualTo("my invoice");
        assertThat(messages.get("wamid.DOCUMENT1").details()).containsEntry("filename", "invoice-2026-11.pdf")
                .containsEntry("mime_type", "application/pdf");
        assertThat(messages.get("wamid.STICKER1").details()).containsEntry("animated", "false")
                .containsEntry("mime_type", "image/webp").containsEntry("media_id", "1128391874838291");
    }

    @Test
    void shouldCountSharedContacts() {
        assertThat(messages.get("wamid.CONTACTS1").details()).containsEntry("contact_count", "2");
        assertThat(messages.get("wamid.CONTACTS1").text()).isNull();
    }

    @Test
    void shouldReadListAndButtonRepliesWithTheirIdsAndContext() {
        CustomerMessage list = messages.get("wamid.LIST1");
        assertThat(list.text()).isEqualTo("Delivery");
        assertThat(list.details()).containsEntry("interactive_type", "list_reply").containsEntry("reply_id", "topic-delivery")
                .containsEntry("description", "Where is my parcel?");
        assertThat(list.contextMessageId()).isEqualTo("wamid.OURLIST");
        CustomerMessage button = messages.get("wamid.BUTTONREPLY1");
        assertThat(button.text()).isEqualTo("Call me");
        assertThat(button.details()).containsEntry("interactive_type", "button_reply").containsEntry("reply_id", "call-me");
    }

    @Test
    void shouldReadATemplateQuickReplyButtonWithItsPayload() {
        CustomerMessage button = messages.get("wamid.TEMPLATEBUTTON1");
        assertThat(button.text()).isEqualTo("Yes, still relevant");
        assertThat(button.details()).containsEntry("payload", "STILL_RELEVANT");
        assertThat(button.contextMessageId()).isEqualTo("wamid.OURTEMPLATE");
    }

    @Test
    void shouldReadAnOrderWithItsCatalogAndItemCount() {
        CustomerMessage order = messages.get("wamid.ORDER1");
        assertThat(order.text()).isEqualTo("please deliver on Friday");
        assertThat(order.details()).containsEntry("catalog_id", "1538292883765463").containsEntry("item_count", "2");
    }

    @Test
    void shouldReadASystemMessageAboutAChangedNumber() {
        CustomerMessage system = messages.get("wamid.SYSTEM1");
        assertThat(system.text()).startsWith("User Max Mustermann changed");
        assertThat(system.details()).containsEntry("system_type", "user_changed_number")
                .containsEntry("wa_id", "4915187654321");
    }

    @Test
    void shouldKeepAnUnsupportedMessageWithItsErrorCode() {
        CustomerMessage unsupported = messages.get("wamid.UNSUPPORTED1");
        assertThat(unsupported.type()).isEqualTo("unsupported");
        assertThat(unsupported.text()).isNull();
        assertThat(unsupported.details()).containsEntry("error_code", "131051");
    }

    @Test
    void shouldReadAReactionAndALocation() {
        assertThat(messages.get("wamid.REACTION2").text()).isEqualTo("👍");
        assertThat(messages.get("wamid.REACTION2").details()).containsEntry("reacted_message_id", "wamid.OURTEMPLATE");
        assertThat(messages.get("wamid.LOCATION2").details()).containsEntry("latitude", "52.520008")
                .containsEntry("longitude", "13.404954").containsEntry("address", "10178 Berlin");
    }

    @Test
    void shouldKeepATypeMetaAddsLaterByName() {
        CustomerMessage future = messages.get("wamid.FUTURE2");
        assertThat(future.type()).isEqualTo("poll_vote");
        assertThat(future.text()).isNull();
    }
}
