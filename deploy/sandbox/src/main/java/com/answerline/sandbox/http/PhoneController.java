package com.answerline.sandbox.http;

import com.answerline.sandbox.customer.CustomerAddress;
import com.answerline.sandbox.customer.CustomerDirectory;
import com.answerline.sandbox.fault.FaultSwitches;
import com.answerline.sandbox.phone.PhoneInbox;
import com.answerline.sandbox.phone.ReceivedMessage;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** What customers' phones received; and a reset of everything the sandbox remembers, for tests. */
@RestController
class PhoneController {

    private final PhoneInbox phones;
    private final CustomerDirectory customers;
    private final FaultSwitches faults;

    PhoneController(PhoneInbox phones, CustomerDirectory customers, FaultSwitches faults) {
        this.phones = phones;
        this.customers = customers;
        this.faults = faults;
    }

    /** By phone number (with or without '+') or BSUID; both lead to the same handset when the sandbox knows the link. */
    @GetMapping("/sandbox/phones/{number}")
    List<ReceivedMessage> received(@PathVariable String number) {
        CustomerAddress address = CustomerAddress.parse(number).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.BAD_REQUEST, "not a phone number or BSUID: " + number));
        return phones.received(customers.deviceKey(address));
    }

    /** Forgets phones, customers' last-message times and fault switches. */
    @DeleteMapping("/sandbox/phones")
    ResponseEntity<Void> reset() {
        phones.reset();
        customers.reset();
        faults.reset();
        return ResponseEntity.noContent().build();
    }
}
