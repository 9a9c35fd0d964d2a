package com.answerline.sandbox.fault;

import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Fault switches for fault-injection tests: a mode per provider, for the next {@code count} calls
 * (or until switched back to OK when no count is given).
 */
@Component
public class FaultSwitches {

    /** A switch setting; {@code remaining} null means unlimited. */
    public record Setting(FaultMode mode, Integer remaining) {

        static final Setting NONE = new Setting(FaultMode.OK, null);
    }

    private final Map<Provider, Setting> settings = new EnumMap<>(Provider.class);

    public synchronized void set(Provider provider, FaultMode mode, Integer count) {
        if (count != null && count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        settings.put(provider, mode == FaultMode.OK || (count != null && count == 0) ? Setting.NONE : new Setting(mode, count));
    }

    /** The mode for this call, consuming one use of a counted switch. */
    public synchronized FaultMode next(Provider provider) {
        Setting setting = settings.getOrDefault(provider, Setting.NONE);
        if (setting.mode() == FaultMode.OK) {
            return FaultMode.OK;
        }
        if (setting.remaining() != null) {
            int left = setting.remaining() - 1;
            settings.put(provider, left == 0 ? Setting.NONE : new Setting(setting.mode(), left));
        }
        return setting.mode();
    }

    public synchronized Map<Provider, Setting> current() {
        Map<Provider, Setting> view = new EnumMap<>(Provider.class);
        for (Provider provider : Provider.values()) {
            view.put(provider, settings.getOrDefault(provider, Setting.NONE));
        }
        return view;
    }

    public synchronized void reset() {
        settings.clear();
    }
}
