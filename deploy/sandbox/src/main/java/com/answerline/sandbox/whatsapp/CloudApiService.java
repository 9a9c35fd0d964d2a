package com.answerline.sandbox.whatsapp;

import com.answerline.sandbox.config.BusinessNumbers;
import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.config.SandboxProperties.BusinessNumber;
import com.answerline.sandbox.customer.CustomerAddress;
import com.answerline.sandbox.customer.CustomerDirectory;
import com.answerline.sandbox.fault.FaultMode;
import com.answerline.sandbox.fault.FaultSwitches;
import com.answerline.sandbox.fault.Provider;
import com.answerline.sandbox.phone.PhoneChannel;
import com.answerline.sandbox.phone.PhoneInbox;
import com.answerline.sandbox.phone.ReceivedMessage;
import com.answerline.sandbox.publish.StatusReports;
import com.answerline.sandbox.publish.WebhookSender;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The Cloud API's send endpoint: validates like Meta, enforces the 24-hour rule, puts the message
 * on the customer's phone and reports sent, delivered and read by webhook afterwards, each status echoing the send's
 * {@code biz_opaque_callback_data} (also when the answer is held by the late-answer fault: the message went out).
 */
@Service
public class CloudApiService {

    static final int MAX_TEXT_LENGTH = 4096;
    /** Meta's limit of {@code biz_opaque_callback_data}. */
    static final int MAX_CALLBACK_DATA_LENGTH = 512;

    private final BusinessNumbers numbers;
    private final TemplateCatalogue templates;
    private final ServiceWindow window;
    private final CustomerDirectory customers;
    private final PhoneInbox phones;
    private final FaultSwitches faults;
    private final WebhookSender webhooks;
    private final StatusReports statusReports;
    private final SandboxProperties properties;
    private final Clock clock;

    public CloudApiService(BusinessNumbers numbers, TemplateCatalogue templates, ServiceWindow window,
            CustomerDirectory customers, PhoneInbox phones, FaultSwitches faults, WebhookSender webhooks,
            StatusReports statusReports, SandboxProperties properties, Clock clock) {
        this.numbers = numbers;
        this.templates = templates;
        this.window = window;
        this.customers = customers;
        this.phones = phones;
        this.faults = faults;
        this.webhooks = webhooks;
        this.statusReports = statusReports;
        this.properties = properties;
        this.clock = clock;
    }

    private record Outgoing(PhoneChannel channel, String text, TemplateCategory templateCategory) {
    }

    /** Sends a message; emits Meta's answer body or fails with a {@link CloudApiException}. */
    public Mono<Map<String, Object>> send(String phoneNumberId, JsonNode request) {
        BusinessNumber number = numbers.byPhoneNumberId(phoneNumberId)
                .orElseThrow(() -> new CloudApiException(CloudApiError.unknownObject(phoneNumberId)));
        FaultMode fault = faults.next(Provider.WHATSAPP);
        Optional<Mono<Map<String, Object>>> faulted = CloudApiException.answerFor(fault, properties.faults().timeoutDelay());
        if (faulted.isPresent()) {
            return faulted.get();
        }
        if (!"whatsapp".equals(string(request, "messaging_product"))) {
            throw new CloudApiException(CloudApiError.invalidParameter("messaging_product must be \"whatsapp\""));
        }
        // Since the BSUID rollout a recipient is a phone number or a BSUID; "recipient" is accepted as an alias of "to".
        String rawRecipient = Optional.ofNullable(string(request, "to")).orElse(string(request, "recipient"));
        if (rawRecipient == null) {
            throw new CloudApiException(CloudApiError.missingParameter("The parameter to is required."));
        }
        CustomerAddress recipient = CustomerAddress.parse(rawRecipient).orElseThrow(() -> new CloudApiException(
                CloudApiError.invalidParameter("Invalid parameter 'to': not a phone number or BSUID")));

        String callbackData = string(request, "biz_opaque_callback_data");
        if (callbackData != null && callbackData.length() > MAX_CALLBACK_DATA_LENGTH) {
            throw new CloudApiException(CloudApiError.invalidParameter(
                    "Param biz_opaque_callback_data must be at most " + MAX_CALLBACK_DATA_LENGTH + " characters long."));
        }

        Instant now = clock.instant();
        boolean windowOpen = window.allowsFreeForm(customers.lastCustomerMessage(phoneNumberId, recipient), now);
        Outgoing outgoing = outgoing(number, request, windowOpen);

        String wamid = Wamid.random();
        String deliveredTo = customers.deviceKey(recipient);
        String bsuid = recipient.isPhone() ? customers.register(recipient.value()) : recipient.value();
        String statusPhone = recipient.isPhone() ? recipient.value() : null;
        CloudApiError lateFailure = lateFailure(fault, outgoing);
        if (lateFailure != null) {
            reportStatuses(number, List.of(new MetaWebhooks.Status(wamid, "failed", now, statusPhone, bsuid, null,
                    lateFailure, callbackData)));
        } else {
            phones.deliver(deliveredTo, new ReceivedMessage(outgoing.channel(), number.e164(), outgoing.text(), wamid, now));
        }
        if (lateFailure == null && statusReports.enabled()) {
            Map<String, Object> pricing = MetaWebhooks.pricing(outgoing.templateCategory(), windowOpen);
            reportStatuses(number, List.of(
                    new MetaWebhooks.Status(wamid, "sent", now, statusPhone, bsuid, pricing, null, callbackData),
                    new MetaWebhooks.Status(wamid, "delivered", now, statusPhone, bsuid, pricing, null, callbackData),
                    new MetaWebhooks.Status(wamid, "read", now, statusPhone, bsuid, null, null, callbackData)));
        }
        Map<String, Object> answer = answer(rawRecipient, recipient, bsuid, wamid, outgoing.channel());
        if (fault == FaultMode.LATE_ANSWER) {
            return Mono.delay(properties.faults().timeoutDelay()).thenReturn(answer);
        }
        return Mono.just(answer);
    }

    /** Meta's template listing for a WhatsApp Business Account. */
    public Map<String, Object> templatesOf(String wabaId) {
        BusinessNumber number = numbers.byWabaId(wabaId)
                .orElseThrow(() -> new CloudApiException(CloudApiError.unknownObject(wabaId)));
        List<Map<String, Object>> data = templates.templatesOf(number.phoneNumberId()).stream().map(t -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "BODY");
            body.put("text", t.body());
            if (!t.example().isEmpty()) {
                body.put("example", Map.of("body_text", List.of(t.example())));
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", t.name());
            item.put("parameter_format", "POSITIONAL");
            item.put("components", List.of(body));
            item.put("language", t.language());
            item.put("status", t.status().name());
            item.put("category", t.category().name());
            item.put("id", t.id());
            return item;
        }).toList();
        return Map.of("data", data, "paging", Map.of("cursors", Map.of("before", "MAZDZD", "after", "MjQZD")));
    }

    private Outgoing outgoing(BusinessNumber number, JsonNode request, boolean windowOpen) {
        String type = Optional.ofNullable(string(request, "type")).orElse("text");
        switch (type) {
            case "text" -> {
                String body = string(request.path("text"), "body");
                if (body == null) {
                    throw new CloudApiException(CloudApiError.missingParameter("The parameter text['body'] is required."));
                }
                if (body.length() > MAX_TEXT_LENGTH) {
                    throw new CloudApiException(CloudApiError.invalidParameter(
                            "Param text['body'] must be at most " + MAX_TEXT_LENGTH + " characters long."));
                }
                if (!windowOpen) {
                    throw new CloudApiException(CloudApiError.reEngagementMessage());
                }
                return new Outgoing(PhoneChannel.WHATSAPP, body, null);
            }
            case "template" -> {
                JsonNode template = request.path("template");
                String name = string(template, "name");
                String language = string(template.path("language"), "code");
                if (name == null || language == null) {
                    throw new CloudApiException(CloudApiError.missingParameter(
                            "The parameters template['name'] and template['language']['code'] are required."));
                }
                String text = templates.render(number.phoneNumberId(), name, language, bodyParameters(template));
                TemplateCategory category = templates.find(number.phoneNumberId(), name, language)
                        .map(MessageTemplate::category).orElseThrow();
                return new Outgoing(PhoneChannel.WHATSAPP_TEMPLATE, text, category);
            }
            default -> throw new CloudApiException(CloudApiError.invalidParameterValue(
                    "The sandbox supports message types text and template, not " + type));
        }
    }

    /** Body parameters as displayed: text, or the fallback_value of currency and date_time parameters. */
    private static List<String> bodyParameters(JsonNode template) {
        List<String> parameters = new ArrayList<>();
        for (JsonNode component : template.path("components")) {
            if (!"body".equalsIgnoreCase(string(component, "type"))) {
                continue;
            }
            for (JsonNode parameter : component.path("parameters")) {
                String type = Optional.ofNullable(string(parameter, "type")).orElse("text");
                String value = switch (type) {
                    case "text" -> string(parameter, "text");
                    case "currency", "date_time" -> string(parameter.path(type), "fallback_value");
                    default -> null;
                };
                if (value == null) {
                    throw new CloudApiException(CloudApiError.invalidParameterValue(
                            "Unsupported or empty template body parameter of type " + type));
                }
                parameters.add(value);
            }
        }
        return parameters;
    }

    private void reportStatuses(BusinessNumber number, List<MetaWebhooks.Status> statuses) {
        webhooks.inBackground("WhatsApp status webhook to ingest", properties.whatsapp().statusDelay(),
                statuses.stream()
                        .map(status -> Mono.defer(() -> webhooks.postMetaWebhook(MetaWebhooks.statuses(number,
                                List.of(withTime(status, clock.instant()))))))
                        .toList());
    }

    private static MetaWebhooks.Status withTime(MetaWebhooks.Status s, Instant at) {
        return new MetaWebhooks.Status(s.wamid(), s.status(), at, s.recipientPhone(), s.recipientBsuid(), s.pricing(),
                s.error(), s.callbackData());
    }

    /** The error of a failed status that follows the accepted send, or null when it is delivered. */
    private static CloudApiError lateFailure(FaultMode fault, Outgoing outgoing) {
        return switch (fault) {
            case UNDELIVERABLE -> undeliverable();
            // Only free-form text is bound to the window; a template goes through.
            case WINDOW_CLOSED_LATE -> outgoing.channel() == PhoneChannel.WHATSAPP ? CloudApiError.reEngagementMessage() : null;
            default -> null;
        };
    }

    private static CloudApiError undeliverable() {
        return new CloudApiError(400, 131026, "OAuthException", "Message undeliverable",
                "Message Undeliverable (sandbox fault).");
    }

    private static Map<String, Object> answer(String input, CustomerAddress recipient, String bsuid, String wamid,
            PhoneChannel channel) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("input", input);
        if (recipient.isPhone()) {
            contact.put("wa_id", recipient.value());
        }
        contact.put("user_id", bsuid);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", wamid);
        if (channel == PhoneChannel.WHATSAPP_TEMPLATE) {
            message.put("message_status", "accepted");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("messaging_product", "whatsapp");
        answer.put("contacts", List.of(contact));
        answer.put("messages", List.of(message));
        return answer;
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue() : null;
    }
}
