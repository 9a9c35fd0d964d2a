package com.answerline.sandbox.phone;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Every customer's phone: the messages it received, in arrival order. */
@Component
public class PhoneInbox {

    private final Map<String, List<ReceivedMessage>> byDevice = new ConcurrentHashMap<>();

    public void deliver(String deviceKey, ReceivedMessage message) {
        byDevice.compute(deviceKey, (key, messages) -> {
            List<ReceivedMessage> updated = messages == null ? new ArrayList<>() : new ArrayList<>(messages);
            updated.add(message);
            return List.copyOf(updated);
        });
    }

    public List<ReceivedMessage> received(String deviceKey) {
        return byDevice.getOrDefault(deviceKey, List.of());
    }

    public void reset() {
        byDevice.clear();
    }
}
