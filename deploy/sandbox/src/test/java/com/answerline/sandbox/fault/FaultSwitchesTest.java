package com.answerline.sandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FaultSwitchesTest {

    @Test
    void shouldApplyACountedFaultToTheNextCallsOnly() {
        FaultSwitches faults = new FaultSwitches();
        faults.set(Provider.WHATSAPP, FaultMode.HTTP_500, 2);

        assertThat(faults.next(Provider.WHATSAPP)).isEqualTo(FaultMode.HTTP_500);
        assertThat(faults.next(Provider.SMS)).isEqualTo(FaultMode.OK);
        assertThat(faults.next(Provider.WHATSAPP)).isEqualTo(FaultMode.HTTP_500);
        assertThat(faults.next(Provider.WHATSAPP)).isEqualTo(FaultMode.OK);
    }

    @Test
    void shouldKeepAnUncountedFaultUntilSwitchedBack() {
        FaultSwitches faults = new FaultSwitches();
        faults.set(Provider.SMS, FaultMode.HTTP_429, null);

        assertThat(faults.next(Provider.SMS)).isEqualTo(FaultMode.HTTP_429);
        assertThat(faults.next(Provider.SMS)).isEqualTo(FaultMode.HTTP_429);
        faults.set(Provider.SMS, FaultMode.OK, null);
        assertThat(faults.next(Provider.SMS)).isEqualTo(FaultMode.OK);
    }
}
