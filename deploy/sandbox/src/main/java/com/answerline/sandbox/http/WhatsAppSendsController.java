package com.answerline.sandbox.http;

import com.answerline.sandbox.whatsapp.SendArrivals;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Read-only: when each Cloud API send of a business number reached the sandbox, and the most in any one second, to
 * check that dispatch instances together keep the number's throughput limit.
 */
@RestController
class WhatsAppSendsController {

    private final SendArrivals arrivals;

    WhatsAppSendsController(SendArrivals arrivals) {
        this.arrivals = arrivals;
    }

    /** {@code since}: an ISO instant; only sends that arrived at or after it (all when absent). */
    @GetMapping("/sandbox/whatsapp/sends")
    SendArrivals.Report sends(@RequestParam(required = false) String phoneNumberId,
            @RequestParam(required = false) String since) {
        if (phoneNumberId == null || phoneNumberId.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "phoneNumberId is required");
        }
        Instant from = null;
        if (since != null && !since.isBlank()) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "since must be an ISO instant, e.g. 2026-12-06T12:00:00Z");
            }
        }
        return arrivals.report(phoneNumberId, from).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.NOT_FOUND, "phoneNumberId is not a business number of the sandbox"));
    }
}
