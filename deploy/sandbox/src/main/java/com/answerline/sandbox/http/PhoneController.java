package com.answerline.sandbox.http;

import com.answerline.sandbox.customer.CustomerAddress;
import com.answerline.sandbox.customer.CustomerDirectory;
import com.answerline.sandbox.fault.FaultSwitches;
import com.answerline.sandbox.phone.PhoneInbox;
import com.answerline.sandbox.phone.ReceivedMessage;
import com.answerline.sandbox.publish.StatusReports;
import com.answerline.sandbox.whatsapp.MediaLibrary;
import com.answerline.sandbox.whatsapp.SendArrivals;
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
    private final StatusReports statusReports;
    private final MediaLibrary media;
    private final SendArrivals sendArrivals;

    PhoneController(PhoneInbox phones, CustomerDirectory customers, FaultSwitches faults, StatusReports statusReports,
            MediaLibrary media, SendArrivals sendArrivals) {
        this.phones = phones;
        this.customers = customers;
        this.faults = faults;
        this.statusReports = statusReports;
        this.media = media;
        this.sendArrivals = sendArrivals;
    }

    /** By phone number (with or without '+') or BSUID; both lead to the same handset when the sandbox knows the link. */
    @GetMapping("/sandbox/phones/{number}")
    List<ReceivedMessage> received(@PathVariable String number) {
        CustomerAddress address = CustomerAddress.parse(number).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.BAD_REQUEST, "not a phone number or BSUID: " + number));
        return phones.received(customers.deviceKey(address));
    }

    /** Forgets phones, customers' last-message times and media, fault switches, settings and send arrivals. */
    @DeleteMapping("/sandbox/phones")
    ResponseEntity<Void> reset() {
        phones.reset();
        customers.reset();
        faults.reset();
        statusReports.reset();
        media.reset();
        sendArrivals.reset();
        return ResponseEntity.noContent().build();
    }
}
