package com.answerline.platform.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;

/** The directory every service gets from answerline.tenants, through Boot's auto-configuration. */
class TenantDirectoryAutoConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantDirectoryAutoConfiguration.class));

    @Test
    void shouldBindTheBusinessNumbersOfEveryTenant() {
        context.withPropertyValues(
                        "answerline.tenants[0].tenant-id=demo",
                        "answerline.tenants[0].phone-number-id=100000000000001",
                        "answerline.tenants[0].display-number=15550000001",
                        "answerline.tenants[0].waba-id=200000000000001",
                        "answerline.tenants[1].tenant-id=other",
                        "answerline.tenants[1].phone-number-id=100000000000002",
                        "answerline.tenants[1].display-number=15550000002",
                        "answerline.tenants[1].waba-id=200000000000002")
                .run(started -> {
                    TenantDirectory directory = started.getBean(TenantDirectory.class);
                    assertThat(directory.owns("demo", "100000000000001")).isTrue();
                    assertThat(directory.owns("demo", "100000000000002")).isFalse();
                    assertThat(directory.byDisplayNumber("+15550000002")).map(BusinessNumber::tenantId).hasValue("other");
                    assertThat(directory.ofTenant("other")).singleElement()
                            .extracting(BusinessNumber::wabaId).isEqualTo("200000000000002");
                    assertThat(directory.all()).hasSize(2);
                });
    }

    @Test
    void shouldRefuseToStartWithoutTenantsOrWithAnInvalidEntryNamingIt() {
        context.run(started -> assertThat(started).hasFailed()
                .getFailure().rootCause().hasMessageContaining("answerline.tenants lists no business number"));

        context.withPropertyValues(
                        "answerline.tenants[0].tenant-id=demo",
                        "answerline.tenants[0].phone-number-id=pn-1",
                        "answerline.tenants[0].display-number=+15550000001")
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("answerline.tenants[0].phone-number-id must be digits")
                        .hasMessageContaining("answerline.tenants[0].display-number must be E.164 digits without +")
                        .hasMessageContaining("answerline.tenants[0].waba-id is missing"));
    }

    @Test
    void shouldRefuseANumberOwnedTwice() {
        context.withPropertyValues(
                        "answerline.tenants[0].tenant-id=demo",
                        "answerline.tenants[0].phone-number-id=100000000000001",
                        "answerline.tenants[0].display-number=15550000001",
                        "answerline.tenants[0].waba-id=200000000000001",
                        "answerline.tenants[1].tenant-id=other",
                        "answerline.tenants[1].phone-number-id=100000000000001",
                        "answerline.tenants[1].display-number=15550000002",
                        "answerline.tenants[1].waba-id=200000000000002")
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("phone_number_id configured twice"));
    }
}
