package com.answerline.sandbox.customer;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What the sandbox knows about customers: which BSUID belongs to which phone number, and when each
 * customer last wrote to each business number (the start of WhatsApp's service window).
 */
@Component
public class CustomerDirectory {

    private record WindowKey(String phoneNumberId, String customerKey) {
    }

    private final Map<String, String> phoneByBsuid = new ConcurrentHashMap<>();
    private final Map<WindowKey, Instant> lastMessageAt = new ConcurrentHashMap<>();

    /** Registers a customer's phone and returns their BSUID. */
    public String register(String phoneDigits) {
        String bsuid = CustomerAddress.bsuidFor(phoneDigits);
        phoneByBsuid.put(bsuid, phoneDigits);
        return bsuid;
    }

    /** Like WhatsApp, keeps the latest send time: a late, older message never shortens the window. */
    public void recordCustomerMessage(String phoneNumberId, String phoneDigits, Instant sentAt) {
        lastMessageAt.merge(new WindowKey(phoneNumberId, phoneDigits), sentAt,
                (existing, incoming) -> incoming.isAfter(existing) ? incoming : existing);
    }

    public Optional<Instant> lastCustomerMessage(String phoneNumberId, CustomerAddress address) {
        return Optional.ofNullable(lastMessageAt.get(new WindowKey(phoneNumberId, deviceKey(address))));
    }

    public Optional<String> phoneOf(CustomerAddress address) {
        return address.isPhone() ? Optional.of(address.value()) : Optional.ofNullable(phoneByBsuid.get(address.value()));
    }

    /** One key per handset: the phone digits when known, else the BSUID itself. */
    public String deviceKey(CustomerAddress address) {
        return phoneOf(address).orElse(address.value());
    }

    public void reset() {
        phoneByBsuid.clear();
        lastMessageAt.clear();
    }
}
