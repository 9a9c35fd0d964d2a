package com.answerline.platform.safety;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a refused production start as Boot prints its own start-up failures: what is wrong, then what to do. */
class UnsafeConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeConfigurationException cause) {
        String properties = cause.findings().stream().map(f -> "    " + f).collect(Collectors.joining("\n"));
        return new FailureAnalysis(
                "The '" + ProductionConfigurationGuard.PROFILE + "' profile is active and the configuration is unsafe:\n"
                        + properties,
                "Set each property above to the deployment's own value (secrets from your secret store, an https identity "
                        + "provider, Kafka over SSL or SASL_SSL), or start without the '"
                        + ProductionConfigurationGuard.PROFILE + "' profile for local development.",
                cause);
    }
}
