package com.answerline.sandbox.customer;

import com.answerline.sandbox.config.BusinessNumbers;
import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.config.SandboxProperties.BusinessNumber;
import com.answerline.sandbox.publish.WebhookSender;
import com.answerline.sandbox.sms.MessageSid;
import com.answerline.sandbox.sms.SmsSegments;
import com.answerline.sandbox.whatsapp.MetaWebhooks;
import com.answerline.sandbox.whatsapp.Wamid;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Plays the customer: writes to a business number on WhatsApp or by SMS, which makes the sandbox
 * post the provider's signed webhook to ingest, as WhatsApp or Twilio would.
 */
@Service
public class CustomerSimulator {

    private static final Logger log = LoggerFactory.getLogger(CustomerSimulator.class);

    private final BusinessNumbers numbers;
    private final CustomerDirectory customers;
    private final WebhookSender webhooks;
    private final SandboxProperties properties;
    private final Clock clock;

    public CustomerSimulator(BusinessNumbers numbers, CustomerDirectory customers, WebhookSender webhooks,
            SandboxProperties properties, Clock clock) {
        this.numbers = numbers;
        this.customers = customers;
        this.webhooks = webhooks;
        this.properties = properties;
        this.clock = clock;
    }

    /** A customer's WhatsApp text; {@code sentAt} null means now. */
    public record WhatsAppText(
            String phoneNumberId, String text, Instant sentAt, boolean usernameOnly, String username, String name) {
    }

    /** A customer's SMS to a business number. */
    public record SmsText(String to, String text) {
    }

    public Mono<Map<String, Object>> writeOnWhatsApp(String customerNumber, WhatsAppText message) {
        String phone = phoneDigits(customerNumber);
        BusinessNumber number = numbers.byPhoneNumberId(message.phoneNumberId()).orElseThrow(() ->
                badRequest("unknown phoneNumberId " + message.phoneNumberId()));
        if (message.text() == null || message.text().isEmpty()) {
            throw badRequest("text is required");
        }
        Instant sentAt = message.sentAt() != null ? message.sentAt() : clock.instant();
        String bsuid = customers.register(phone);
        // Recorded before posting, so a reply triggered by this message already finds the window open.
        customers.recordCustomerMessage(number.phoneNumberId(), phone, sentAt);
        String wamid = Wamid.random();
        String name = message.name() != null ? message.name()
                : message.username() != null ? message.username() : "Sandbox Customer";
        Map<String, Object> payload = MetaWebhooks.inboundText(number, new MetaWebhooks.InboundText(
                wamid, message.usernameOnly() ? null : phone, bsuid, name, message.username(), sentAt, message.text()));
        return deliver("WhatsApp message webhook", webhooks.postMetaWebhook(payload), Map.of("wamid", wamid, "bsuid", bsuid));
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
