package com.answerline.sandbox.http;

import com.answerline.sandbox.fault.FaultMode;
import com.answerline.sandbox.fault.FaultSwitches;
import com.answerline.sandbox.fault.Provider;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Fault switches: {@code {"whatsapp":{"mode":"HTTP_500","count":2},"sms":{"mode":"OK"},"media":{"mode":"TIMEOUT"}}}
 * ({@code media}: the Cloud API's media retrieval, {@code GET /v{N}/{media-id}}).
 */
@RestController
class FaultController {

    private final FaultSwitches faults;

    FaultController(FaultSwitches faults) {
        this.faults = faults;
    }

    record Switch(FaultMode mode, Integer count) {
    }

    record FaultsRequest(Switch whatsapp, Switch sms, Switch media) {
    }

    @PostMapping("/sandbox/faults")
    Map<String, FaultSwitches.Setting> set(@RequestBody FaultsRequest request) {
        apply(Provider.WHATSAPP, request.whatsapp());
        apply(Provider.SMS, request.sms());
        apply(Provider.MEDIA, request.media());
        return current();
    }

    @GetMapping("/sandbox/faults")
    Map<String, FaultSwitches.Setting> current() {
        Map<String, FaultSwitches.Setting> view = new LinkedHashMap<>();
        faults.current().forEach((provider, setting) -> view.put(provider.name().toLowerCase(Locale.ROOT), setting));
        return view;
    }

    private void apply(Provider provider, Switch change) {
        if (change == null) {
            return;
        }
        if (change.mode() == null || (change.count() != null && change.count() < 0)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "mode required; count must not be negative");
        }
        if (!change.mode().appliesTo(provider)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    change.mode() + " is not a fault of " + provider.name().toLowerCase(Locale.ROOT));
        }
        faults.set(provider, change.mode(), change.count());
    }
}
