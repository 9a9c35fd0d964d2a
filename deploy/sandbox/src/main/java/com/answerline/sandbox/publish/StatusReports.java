package com.answerline.sandbox.publish;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * Whether the sandbox reports delivery (WhatsApp sent, delivered, read; Twilio's sent and delivered callbacks) after
 * a send, as the providers do. On by default; switched off to measure the sender without the status traffic it
 * causes (deploy/bench's dispatch stage). Failures a fault mode causes (131047, 131026, undelivered) are reported
 * either way: they are what those faults are for.
 */
@Component
public class StatusReports {

    private final AtomicBoolean enabled = new AtomicBoolean(true);

    public boolean enabled() {
        return enabled.get();
    }

    public void enable(boolean on) {
        enabled.set(on);
    }

    public void reset() {
        enabled.set(true);
    }
}
