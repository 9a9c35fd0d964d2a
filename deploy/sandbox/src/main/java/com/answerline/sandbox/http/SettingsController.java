package com.answerline.sandbox.http;

import com.answerline.sandbox.publish.StatusReports;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Sandbox behaviour that is not a fault: {@code {"statusWebhooks": false}} stops the delivery reports. */
@RestController
class SettingsController {

    private final StatusReports statusReports;

    SettingsController(StatusReports statusReports) {
        this.statusReports = statusReports;
    }

    record Settings(Boolean statusWebhooks) {
    }

    @GetMapping("/sandbox/settings")
    Settings current() {
        return new Settings(statusReports.enabled());
    }

    @PutMapping("/sandbox/settings")
    Settings change(@RequestBody Settings settings) {
        if (settings.statusWebhooks() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "statusWebhooks (true or false) is required");
        }
        statusReports.enable(settings.statusWebhooks());
        return current();
    }
}
