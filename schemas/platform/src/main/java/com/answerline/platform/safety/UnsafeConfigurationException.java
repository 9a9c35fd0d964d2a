package com.answerline.platform.safety;

import java.util.List;
import java.util.stream.Collectors;

/** A production start refused: the offending properties, one per line. */
public class UnsafeConfigurationException extends IllegalStateException {

    private final transient List<UnsafeConfiguration.Finding> findings;

    public UnsafeConfigurationException(List<UnsafeConfiguration.Finding> findings) {
        super("Refusing to start with the '" + ProductionConfigurationGuard.PROFILE + "' profile: unsafe configuration\n"
                + findings.stream().map(f -> "  - " + f).collect(Collectors.joining("\n")));
        this.findings = List.copyOf(findings);
    }

    public List<UnsafeConfiguration.Finding> findings() {
        return findings;
    }
}
