package com.answerline.platform.tenant;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * The one tenant directory of every service: which tenant owns which business number, from one configuration key,
 * {@value #PROPERTY}, the same in every service (in Kubernetes one ConfigMap mounted into all three), so adding a
 * tenant is one edit and the services can never disagree about who owns a number.
 *
 * <pre>
 * answerline:
 *   tenants:
 *     - tenant-id: demo
 *       phone-number-id: "100000000000001"   # WhatsApp Cloud API phone_number_id
 *       display-number: "15550000001"        # E.164 digits without +, the number customers see (SMS too)
 *       waba-id: "200000000000001"           # WhatsApp Business Account owning the number
 * </pre>
 *
 * <p>What a service decides per tenant beyond ownership (dispatch's fallback policy, templates, SMS sender) stays in
 * that service's own settings, keyed by tenant id. A list that is empty or has an invalid entry stops the start-up
 * with the entry's index and field.
 */
@AutoConfiguration
public class TenantDirectoryAutoConfiguration {

    /** The configuration key of the business numbers. */
    public static final String PROPERTY = "answerline.tenants";

    @Bean
    @ConditionalOnMissingBean
    TenantDirectory tenantDirectory(Environment environment) {
        return bind(Binder.get(environment));
    }

    /** The directory configured under {@value #PROPERTY}; also for tests that bind application.yml by hand. */
    public static TenantDirectory bind(Binder binder) {
        List<BusinessNumber> numbers = binder.bind(PROPERTY, Bindable.listOf(BusinessNumber.class))
                .orElseThrow(() -> new IllegalStateException(PROPERTY + " lists no business number"));
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            BusinessNumber number = numbers.get(i);
            String at = PROPERTY + "[" + i + "].";
            if (isBlank(number.tenantId())) {
                problems.add(at + "tenant-id is missing");
            }
            if (number.phoneNumberId() == null || !number.phoneNumberId().matches("\\d+")) {
                problems.add(at + "phone-number-id must be digits");
            }
            if (number.displayNumber() == null || !number.displayNumber().matches("\\d{6,15}")) {
                problems.add(at + "display-number must be E.164 digits without +");
            }
            if (isBlank(number.wabaId())) {
                problems.add(at + "waba-id is missing");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid tenant directory: " + String.join("; ", problems));
        }
        return new TenantDirectory(numbers);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
