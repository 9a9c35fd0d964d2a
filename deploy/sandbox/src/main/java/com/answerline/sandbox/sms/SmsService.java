package com.answerline.sandbox.sms;

import com.answerline.sandbox.config.BusinessNumbers;
import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.customer.CustomerAddress;
import com.answerline.sandbox.fault.FaultMode;
import com.answerline.sandbox.fault.FaultSwitches;
import com.answerline.sandbox.fault.Provider;
import com.answerline.sandbox.phone.PhoneChannel;
import com.answerline.sandbox.phone.PhoneInbox;
import com.answerline.sandbox.phone.ReceivedMessage;
import com.answerline.sandbox.publish.StatusReports;
import com.answerline.sandbox.publish.WebhookSender;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Twilio's Messages resource: accepts an SMS, puts it on the customer's phone, and reports sent and
 * delivered to the message's StatusCallback.
 */
@Service
public class SmsService {

    static final int MAX_BODY_LENGTH = 1600;

    private final BusinessNumbers numbers;
    private final PhoneInbox phones;
    private final FaultSwitches faults;
    private final WebhookSender webhooks;
    private final StatusReports statusReports;
    private final SandboxProperties properties;
    private final Clock clock;

    public SmsService(BusinessNumbers numbers, PhoneInbox phones, FaultSwitches faults, WebhookSender webhooks,
            StatusReports statusReports, SandboxProperties properties, Clock clock) {
        this.numbers = numbers;
        this.phones = phones;
        this.faults = faults;
        this.webhooks = webhooks;
        this.statusReports = statusReports;
        this.properties = properties;
        this.clock = clock;
    }

    /** The form fields of a create-message request. */
    public record SendSms(String to, String from, String body, String statusCallback) {
    }

    /** Creates a message; emits Twilio's 201 body or fails with a {@link TwilioApiException}. */
    public Mono<Map<String, Object>> send(SendSms request) {
        switch (faults.next(Provider.SMS)) {
            case HTTP_500 -> throw new TwilioApiException(TwilioError.internal());
            case HTTP_429 -> throw new TwilioApiException(TwilioError.tooManyRequests());
            case TIMEOUT -> {
                return Mono.delay(properties.faults().timeoutDelay())
                        .then(Mono.error(new TwilioApiException(TwilioError.timedOut())));
            }
            case UNDELIVERABLE -> {
                return Mono.just(accept(request, true));
            }
            case LATE_ANSWER -> {
                Map<String, Object> accepted = accept(request, false);
                return Mono.delay(properties.faults().timeoutDelay()).thenReturn(accepted);
            }
            default -> {
                return Mono.just(accept(request, false));
            }
        }
    }

    private Map<String, Object> accept(SendSms request, boolean undeliverable) {
        if (request.to() == null || request.to().isBlank()) {
            throw new TwilioApiException(TwilioError.toRequired());
        }
        CustomerAddress to = CustomerAddress.parse(request.to())
                .filter(a -> a.isPhone() && request.to().trim().startsWith("+"))
                .orElseThrow(() -> new TwilioApiException(TwilioError.invalidTo(request.to())));
        if (request.from() == null || numbers.bySmsAddress(request.from()).isEmpty()) {
            throw new TwilioApiException(TwilioError.invalidFrom(request.from()));
        }
        if (request.body() == null || request.body().isEmpty()) {
            throw new TwilioApiException(TwilioError.bodyRequired());
        }
        if (request.body().length() > MAX_BODY_LENGTH) {
            throw new TwilioApiException(TwilioError.bodyTooLong());
        }
        String sid = MessageSid.random();
        Instant now = clock.instant();
        String from = "+" + numbers.bySmsAddress(request.from()).orElseThrow().displayPhoneNumber();
        String e164To = "+" + to.value();
        if (!undeliverable) {
            phones.deliver(to.value(), new ReceivedMessage(PhoneChannel.SMS, from, request.body(), sid, now));
        }
        if (request.statusCallback() != null && !request.statusCallback().isBlank()
                && (undeliverable || statusReports.enabled())) {
            URI callback = URI.create(request.statusCallback());
            List<String> statuses = undeliverable ? List.of("sent", "undelivered") : List.of("sent", "delivered");
            webhooks.inBackground("Twilio status callback", properties.sms().statusDelay(), statuses.stream()
                    .map(status -> Mono.defer(() -> webhooks.postTwilioForm(callback,
                            statusCallback(sid, status, e164To, from))))
                    .toList());
        }
        return resource(sid, e164To, from, request.body(), now);
    }

    private Map<String, String> statusCallback(String sid, String status, String to, String from) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", properties.sms().accountSid());
        params.put("ApiVersion", "2010-04-01");
        params.put("From", from);
        params.put("MessageSid", sid);
        params.put("MessageStatus", status);
        params.put("SmsSid", sid);
        params.put("SmsStatus", status);
        params.put("To", to);
        if ("undelivered".equals(status)) {
            params.put("ErrorCode", "30003");
        }
        return params;
    }

    private Map<String, Object> resource(String sid, String to, String from, String body, Instant now) {
        String accountSid = properties.sms().accountSid();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atOffset(ZoneOffset.UTC));
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages/" + sid;
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("account_sid", accountSid);
        resource.put("api_version", "2010-04-01");
        resource.put("body", body);
        resource.put("date_created", date);
        resource.put("date_sent", null);
        resource.put("date_updated", date);
        resource.put("direction", "outbound-api");
        resource.put("error_code", null);
        resource.put("error_message", null);
        resource.put("from", from);
        resource.put("messaging_service_sid", null);
        resource.put("num_media", "0");
        resource.put("num_segments", Integer.toString(SmsSegments.count(body).segments()));
        resource.put("price", null);
        resource.put("price_unit", "USD");
        resource.put("sid", sid);
        resource.put("status", "queued");
        resource.put("subresource_uris", Map.of("media", uri + "/Media.json"));
        resource.put("to", to);
        resource.put("uri", uri + ".json");
        return resource;
    }
}
