package com.answerline.platform.safety;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * Refuses to start a service under the {@value #PROFILE} profile whose configuration breaks a rule of
 * {@link UnsafeConfiguration} (a local-development secret, a loopback or http token issuer, an empty app-secret list,
 * Kafka without TLS): every offending property is named in one message, before any bean (Kafka client, web server)
 * exists. Without the profile (the local stack, tests) it does nothing.
 *
 * <p>An {@link EnvironmentPostProcessor} (registered in {@code META-INF/spring.factories}, so every service that has
 * the platform on its class path gets it), ordered last so it sees the configuration files of the active profiles,
 * environment variables and command-line arguments as the application will bind them.
 */
public class ProductionConfigurationGuard implements EnvironmentPostProcessor, Ordered {

    /** The profile under which unsafe configuration refuses to start. */
    public static final String PROFILE = "production";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of(PROFILE))) {
            return;
        }
        List<UnsafeConfiguration.Finding> findings = UnsafeConfiguration.check(effectiveProperties(environment));
        if (!findings.isEmpty()) {
            throw new UnsafeConfigurationException(findings);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /**
     * Every property of the environment as the application binds it: canonical names (an environment variable
     * {@code ANSWERLINE_INGEST_JWT_ISSUER} is {@code answerline.ingest.jwt.issuer}), the value of the source that
     * wins, placeholders resolved. Named as a configuration file spells it when one does (the dashed form).
     */
    public static Map<String, String> effectiveProperties(ConfigurableEnvironment environment) {
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.get(environment).forEach(sources::add);
        // One entry per property however its sources spell it (ANSWERLINE_INGEST_WHATSAPP_VERIFYTOKEN reads as
        // ...verifytoken, a file as ...verify-token): keyed without dashes, named as a file spells it.
        Map<String, String> display = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().map(ConfigurationPropertyName::toString).forEach(name ->
                        display.merge(name.replace("-", ""), name, (a, b) -> dashes(b) > dashes(a) ? b : a));
            }
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (String name : display.values()) {
            // Sources come in precedence order: the first that has the property wins (an environment variable
            // source finds a dashed name under its variable's spelling).
            ConfigurationPropertyName property = ConfigurationPropertyName.of(name);
            Object value = null;
            for (ConfigurationPropertySource source : sources) {
                ConfigurationProperty found = source.getConfigurationProperty(property);
                if (found != null) {
                    value = found.getValue();
                    break;
                }
            }
            properties.put(name, value == null ? "" : environment.resolvePlaceholders(value.toString()));
        }
        return properties;
    }

    private static long dashes(String name) {
        return name.chars().filter(c -> c == '-').count();
    }
}
