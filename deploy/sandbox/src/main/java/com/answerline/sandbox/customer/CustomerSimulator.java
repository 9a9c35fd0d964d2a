package com.answerline.sandbox.customer;

import com.answerline.sandbox.config.BusinessNumbers;
import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.config.SandboxProperties.BusinessNumber;
import com.answerline.sandbox.publish.WebhookSender;
import com.answerline.sandbox.sms.MessageSid;
import com.answerline.sandbox.sms.SmsSegments;
import com.answerline.sandbox.whatsapp.MediaFiles;
import com.answerline.sandbox.whatsapp.MediaLibrary;
import com.answerline.sandbox.whatsapp.MetaWebhooks;
import com.answerline.sandbox.whatsapp.Wamid;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Plays the customer: writes to a business number on WhatsApp (a text, an image or a document) or by SMS, which
 * makes the sandbox post the provider's signed webhook to ingest, as WhatsApp or Twilio would.
 */
@Service
public class CustomerSimulator {

    private static final Logger log = LoggerFactory.getLogger(CustomerSimulator.class);

    /** A file name a customer's phone could send: no path separators, no control characters. */
    private static final Pattern VALID_FILE_NAME = Pattern.compile("[^/\\\\\\p{Cntrl}]{1,240}");

    private final BusinessNumbers numbers;
    private final CustomerDirectory customers;
    private final MediaLibrary library;
    private final WebhookSender webhooks;
    private final SandboxProperties properties;
    private final Clock clock;

    public CustomerSimulator(BusinessNumbers numbers, CustomerDirectory customers, MediaLibrary library,
            WebhookSender webhooks, SandboxProperties properties, Clock clock) {
        this.numbers = numbers;
        this.customers = customers;
        this.library = library;
        this.webhooks = webhooks;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * A customer's WhatsApp message: exactly one of {@code text}, {@code image} and {@code document};
     * {@code sentAt} null means now.
     */
    public record WhatsAppMessage(
            String phoneNumberId, String text, Instant sentAt, boolean usernameOnly, String username, String name,
            Image image, Document document) {
    }

    /** A photo the customer sends: the sandbox generates a small PNG. */
    public record Image(String caption) {
    }

    /** A file the customer sends: the sandbox generates a one-page PDF named {@code fileName} (default document.pdf). */
    public record Document(String fileName, String caption) {
    }

    /** A customer's SMS to a business number. */
    public record SmsText(String to, String text) {
    }

    /**
     * Posts the message's webhook to ingest. An image or document is first kept in the {@link MediaLibrary} under a new
     * media id, which the webhook carries and the Cloud API's media retrieval then serves.
     */
    public Mono<Map<String, Object>> writeOnWhatsApp(String customerNumber, WhatsAppMessage message) {
        String phone = phoneDigits(customerNumber);
        BusinessNumber number = numbers.byPhoneNumberId(message.phoneNumberId()).orElseThrow(() ->
                badRequest("unknown phoneNumberId " + message.phoneNumberId()));
        long kinds = Stream.of(message.text(), message.image(), message.document()).filter(Objects::nonNull).count();
        if (kinds != 1) {
            throw badRequest(kinds == 0 ? "text is required (or image, or document)"
                    : "give one of text, image and document, not several");
        }
        if (message.text() != null && message.text().isEmpty()) {
            throw badRequest("text is required");
        }
        if (message.document() != null && message.document().fileName() != null
                && !VALID_FILE_NAME.matcher(message.document().fileName()).matches()) {
            throw badRequest("document.fileName must be 1 to 240 characters without / \\ or control characters");
        }
        Instant sentAt = message.sentAt() != null ? message.sentAt() : clock.instant();
        String bsuid = customers.register(phone);
        // Recorded before posting, so a reply triggered by this message already finds the window open.
        customers.recordCustomerMessage(number.phoneNumberId(), phone, sentAt);
        String wamid = Wamid.random();
        String name = message.name() != null ? message.name()
                : message.username() != null ? message.username() : "Sandbox Customer";
        MetaWebhooks.Inbound inbound = new MetaWebhooks.Inbound(
                wamid, message.usernameOnly() ? null : phone, bsuid, name, message.username(), sentAt);
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("wamid", wamid);
        ids.put("bsuid", bsuid);
        Map<String, Object> payload;
        if (message.text() != null) {
            payload = MetaWebhooks.inboundText(number, inbound, message.text());
        } else {
            MetaWebhooks.InboundMedia media = media(number, message.image(), message.document());
            ids.put("mediaId", media.mediaId());
            payload = MetaWebhooks.inboundMedia(number, inbound, media);
        }
        return deliver("WhatsApp message webhook", webhooks.postMetaWebhook(payload), ids);
    }

    /** Generates the file, keeps it under a new media id and describes it as the webhook will. */
    private MetaWebhooks.InboundMedia media(BusinessNumber number, Image image, Document document) {
        if (image != null) {
            MediaLibrary.Media stored = library.register(number.phoneNumberId(), MediaFiles.PNG, null,
                    MediaFiles.png(Wamid.random()));
            return new MetaWebhooks.InboundMedia("image", stored.id(), stored.mimeType(), stored.sha256(), null,
                    image.caption());
        }
        String fileName = document.fileName() != null ? document.fileName() : "document.pdf";
        MediaLibrary.Media stored = library.register(number.phoneNumberId(), MediaFiles.PDF, fileName,
                MediaFiles.pdf(fileName, document.caption()));
        return new MetaWebhooks.InboundMedia("document", stored.id(), stored.mimeType(), stored.sha256(), fileName,
                document.caption());
    }

    public Mono<Map<String, Object>> writeSms(String customerNumber, SmsText sms) {
        String phone = phoneDigits(customerNumber);
        BusinessNumber number = sms.to() == null ? numbers.all().get(0)
                : numbers.bySmsAddress(sms.to()).orElseThrow(() -> badRequest("unknown business number " + sms.to()));
        if (sms.text() == null || sms.text().isEmpty()) {
            throw badRequest("text is required");
        }
        String sid = MessageSid.random();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", properties.sms().accountSid());
        form.put("ApiVersion", "2010-04-01");
        form.put("Body", sms.text());
        form.put("From", "+" + phone);
        form.put("MessageSid", sid);
        form.put("NumMedia", "0");
        form.put("NumSegments", Integer.toString(SmsSegments.count(sms.text()).segments()));
        form.put("SmsMessageSid", sid);
        form.put("SmsSid", sid);
        form.put("SmsStatus", "received");
        form.put("To", number.e164());
        return deliver("inbound SMS webhook", webhooks.postTwilioForm(properties.ingest().smsWebhookUrl(), form),
                Map.of("messageSid", sid));
    }

    private Mono<Map<String, Object>> deliver(String what, Mono<Integer> post, Map<String, Object> ids) {
        return post.map(status -> {
            log.info("Simulated customer {}: ingest answered HTTP {}", what, status);
            Map<String, Object> answer = new LinkedHashMap<>(ids);
            answer.put("ingestStatus", status);
            return answer;
        }).onErrorResume(e -> {
            log.warn("Simulated customer {} not delivered: {}", what, e.toString());
            Map<String, Object> answer = new LinkedHashMap<>(ids);
            answer.put("ingestStatus", null);
            answer.put("ingestError", e.toString());
            return Mono.just(answer);
        });
    }

    private static String phoneDigits(String raw) {
        return CustomerAddress.parse(raw).filter(CustomerAddress::isPhone).map(CustomerAddress::value)
                .orElseThrow(() -> badRequest("customer number must be a phone number, e.g. +15551234567"));
    }

    private static ResponseStatusException badRequest(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }
}
