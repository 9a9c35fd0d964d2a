package com.answerline.schemas.tenant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which tenant owns which business number. Each phone_number_id (and its display number) belongs to exactly
 * one tenant; a configuration that says otherwise fails at start-up.
 */
public final class TenantDirectory {

    /**
     * The tenant id of records that belong to no tenant (unrouted-webhooks); reserved, so no configured tenant
     * can be mistaken for it.
     */
    public static final String UNROUTED_TENANT = "unrouted";

    private final List<BusinessNumber> numbers;
    private final Map<String, BusinessNumber> byPhoneNumberId = new HashMap<>();
    private final Map<String, BusinessNumber> byDisplayNumber = new HashMap<>();

    public TenantDirectory(List<BusinessNumber> numbers) {
        this.numbers = List.copyOf(numbers);
        for (BusinessNumber number : numbers) {
            if (UNROUTED_TENANT.equals(number.tenantId())) {
                throw new IllegalArgumentException("tenant id '" + UNROUTED_TENANT + "' is reserved for unrouted webhooks");
            }
            if (byPhoneNumberId.putIfAbsent(number.phoneNumberId(), number) != null) {
                throw new IllegalArgumentException("phone_number_id configured twice: " + number.phoneNumberId());
            }
            if (byDisplayNumber.putIfAbsent(number.displayNumber(), number) != null) {
                throw new IllegalArgumentException("display number configured twice for tenant " + number.tenantId());
            }
        }
    }

    /** Every business number, in configuration order. */
    public List<BusinessNumber> all() {
        return numbers;
    }

    /** The business numbers {@code tenantId} owns; empty for an unknown tenant. */
    public List<BusinessNumber> ofTenant(String tenantId) {
        return numbers.stream().filter(n -> n.tenantId().equals(tenantId)).toList();
    }

    public Optional<BusinessNumber> byPhoneNumberId(String phoneNumberId) {
        return Optional.ofNullable(phoneNumberId).map(byPhoneNumberId::get);
    }

    /** The business number an SMS was sent to or from; accepts E.164 with or without the leading +. */
    public Optional<BusinessNumber> byDisplayNumber(String number) {
        return Optional.ofNullable(number).map(BusinessNumber::digits).map(byDisplayNumber::get);
    }

    /** True when {@code tenantId} owns the business number; false also for unknown numbers (no leak). */
    public boolean owns(String tenantId, String phoneNumberId) {
        return byPhoneNumberId(phoneNumberId).map(n -> n.tenantId().equals(tenantId)).orElse(false);
    }
}
