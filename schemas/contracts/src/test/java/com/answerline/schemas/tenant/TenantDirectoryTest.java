package com.answerline.schemas.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TenantDirectoryTest {

    @Test
    void shouldRefuseTheTenantIdReservedForUnroutedWebhooks() {
        // Given a configuration naming a tenant "unrouted"
        List<BusinessNumber> numbers = List.of(
                new BusinessNumber("unrouted", "100000000000001", "15550000001", "200000000000001"));
        // When / Then: start-up fails, its records could not be told from the unrouted ones
        assertThatThrownBy(() -> new TenantDirectory(numbers))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void shouldFindATenantsNumberByIdAndByDisplayNumber() {
        // Given
        TenantDirectory tenants = new TenantDirectory(List.of(
                new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001")));
        // When / Then
        assertThat(tenants.byPhoneNumberId("100000000000001")).map(BusinessNumber::tenantId).contains("demo");
        assertThat(tenants.byDisplayNumber("+15550000001")).map(BusinessNumber::tenantId).contains("demo");
        assertThat(tenants.byPhoneNumberId("100000000000999")).isEmpty();
    }
}
