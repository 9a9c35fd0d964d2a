package com.answerline.sandbox.http;

import com.answerline.sandbox.customer.CustomerSimulator;
import java.time.Instant;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The customer simulator: a customer writes on WhatsApp (text, image or document) or by SMS. */
@RestController
class CustomerController {

    private final CustomerSimulator simulator;

    CustomerController(CustomerSimulator simulator) {
        this.simulator = simulator;
    }

    /** Exactly one of {@code text}, {@code image} ({"caption"}) and {@code document} ({"fileName", "caption"}). */
    record WhatsAppMessageRequest(
            String phoneNumberId, String text, Instant sentAt, Boolean usernameOnly, String username, String name,
            CustomerSimulator.Image image, CustomerSimulator.Document document) {
    }

    record SmsRequest(String to, String text) {
    }

    @PostMapping("/sandbox/customers/{number}/messages")
    Mono<Map<String, Object>> writeOnWhatsApp(@PathVariable String number, @RequestBody WhatsAppMessageRequest request) {
        return simulator.writeOnWhatsApp(number, new CustomerSimulator.WhatsAppMessage(request.phoneNumberId(),
                request.text(), request.sentAt(), Boolean.TRUE.equals(request.usernameOnly()), request.username(),
                request.name(), request.image(), request.document()));
    }

    @PostMapping("/sandbox/customers/{number}/sms")
    Mono<Map<String, Object>> writeSms(@PathVariable String number, @RequestBody SmsRequest request) {
        return simulator.writeSms(number, new CustomerSimulator.SmsText(request.to(), request.text()));
    }
}
