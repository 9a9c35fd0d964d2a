package com.answerline.sandbox.http;

import com.answerline.sandbox.publish.StatusReports;
import com.answerline.sandbox.whatsapp.DirectSendEligibility;
import com.answerline.sandbox.whatsapp.DirectSendStatus;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Sandbox behaviour that is not a fault: {@code {"statusWebhooks": false}} stops the delivery reports;
 * {@code {"directSend": {"100000000000001": "BLOCKED"}}} sets business numbers' Direct Send status (ENABLED,
 * NOT_ENABLED, BLOCKED). A change names either or both; the answer is every setting.
 */
@RestController
class SettingsController {

    private final StatusReports statusReports;
    private final DirectSendEligibility directSend;

    SettingsController(StatusReports statusReports, DirectSendEligibility directSend) {
        this.statusReports = statusReports;
        this.directSend = directSend;
    }

    /** {@code directSend}: by phone_number_id; given as text so that a wrong value is named in the 400. */
    record Settings(Boolean statusWebhooks, Map<String, String> directSend) {
    }

    @GetMapping("/sandbox/settings")
    Settings current() {
        Map<String, String> statuses = new LinkedHashMap<>();
        directSend.all().forEach((number, status) -> statuses.put(number, status.name()));
        return new Settings(statusReports.enabled(), statuses);
    }

    @PutMapping("/sandbox/settings")
    Settings change(@RequestBody Settings settings) {
        if (settings.statusWebhooks() == null && settings.directSend() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "statusWebhooks (true or false) or directSend ({phone_number_id: ENABLED, NOT_ENABLED or BLOCKED}) is required");
        }
        Map<String, DirectSendStatus> statuses = settings.directSend() == null ? Map.of() : statuses(settings.directSend());
        try {
            directSend.set(statuses);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "directSend: " + e.getMessage());
        }
        if (settings.statusWebhooks() != null) {
            statusReports.enable(settings.statusWebhooks());
        }
        return current();
    }

    private static Map<String, DirectSendStatus> statuses(Map<String, String> requested) {
        Map<String, DirectSendStatus> statuses = new LinkedHashMap<>();
        requested.forEach((number, value) -> statuses.put(number, Arrays.stream(DirectSendStatus.values())
                .filter(s -> s.name().equals(value)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "directSend." + number + " must be ENABLED, NOT_ENABLED or BLOCKED"))));
        return statuses;
    }
}
