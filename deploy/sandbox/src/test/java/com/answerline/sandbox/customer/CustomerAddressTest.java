package com.answerline.sandbox.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CustomerAddressTest {

    @Test
    void shouldNormalisePhoneNumbersToDigits() {
        assertThat(CustomerAddress.parse("+15551234567")).contains(CustomerAddress.phone("15551234567"));
        assertThat(CustomerAddress.parse("15551234567")).contains(CustomerAddress.phone("15551234567"));
        assertThat(CustomerAddress.parse("+1 555 123-4567")).contains(CustomerAddress.phone("15551234567"));
    }

    @Test
    void shouldRecogniseBsuids() {
        assertThat(CustomerAddress.parse("US.13491208655302741918"))
                .contains(new CustomerAddress(CustomerAddress.Kind.BSUID, "US.13491208655302741918"));
        assertThat(CustomerAddress.parse("US.ENT.11815799212886844830")).get()
                .extracting(CustomerAddress::kind).isEqualTo(CustomerAddress.Kind.BSUID);
    }

    @Test
    void shouldRejectWhatIsNeither() {
        assertThat(CustomerAddress.parse("hello")).isEmpty();
        assertThat(CustomerAddress.parse("+12")).isEmpty();
    }

    @Test
    void shouldDeriveAStableBsuidPerNumber() {
        String bsuid = CustomerAddress.bsuidFor("15551234567");
        assertThat(bsuid).matches("US\\.[0-9]{1,20}").isEqualTo(CustomerAddress.bsuidFor("15551234567"));
        assertThat(CustomerAddress.bsuidFor("15551234568")).isNotEqualTo(bsuid);
    }

    @Test
    void shouldLeadPhoneAndBsuidToTheSameHandsetAndWindow() {
        // Given a customer who wrote from their phone
        CustomerDirectory directory = new CustomerDirectory();
        String bsuid = directory.register("15551234567");
        Instant sentAt = Instant.parse("2026-11-25T10:00:00Z");
        directory.recordCustomerMessage("100000000000001", "15551234567", sentAt);

        // When addressed by BSUID
        CustomerAddress byBsuid = CustomerAddress.parse(bsuid).orElseThrow();

        // Then
        assertThat(directory.deviceKey(byBsuid)).isEqualTo("15551234567");
        assertThat(directory.lastCustomerMessage("100000000000001", byBsuid)).contains(sentAt);
        assertThat(directory.lastCustomerMessage("100000000000002", byBsuid)).isEmpty();
    }

    @Test
    void shouldNeverMoveTheLastMessageBackwards() {
        CustomerDirectory directory = new CustomerDirectory();
        Instant later = Instant.parse("2026-11-25T10:00:00Z");
        directory.recordCustomerMessage("100000000000001", "15551234567", later);
        directory.recordCustomerMessage("100000000000001", "15551234567", later.minusSeconds(90_000));

        assertThat(directory.lastCustomerMessage("100000000000001", CustomerAddress.phone("15551234567")))
                .contains(later);
    }
}
