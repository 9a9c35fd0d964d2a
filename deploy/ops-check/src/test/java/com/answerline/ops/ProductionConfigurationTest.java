package com.answerline.ops;

import static com.answerline.ops.KustomizeRenderTest.byKindPrefix;
import static com.answerline.ops.KustomizeRenderTest.name;
import static com.answerline.ops.KustomizeRenderTest.podSpec;
import static com.answerline.ops.KustomizeRenderTest.render;
import static com.answerline.ops.KustomizeRenderTest.stringMap;
import static com.answerline.ops.KustomizeRenderTest.workloads;
import static com.answerline.ops.MonitoringTest.list;
import static com.answerline.ops.MonitoringTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import com.answerline.platform.safety.ProductionConfigurationGuard;
import com.answerline.platform.safety.UnsafeConfiguration;

/**
 * The production overlay's services would start: their configuration as each pod gets it (the jar's application.yml
 * and application-production.yml, the mounted application.yml, the ConfigMaps' and the pod's environment, each
 * Secret reference standing for the value the operator provides) passes the production guard, which the overlay
 * turns on. The local overlay, with its http sandbox as identity provider, would not, and does not run the
 * production profile.
 */
class ProductionConfigurationTest {

    private static final List<String> SERVICES = List.of("ingest-service", "session-service", "dispatch-service");

    @Test
    void shouldStartEveryServiceOfTheProductionOverlayWithTheProductionProfile() throws IOException {
        List<Map<String, Object>> objects = render("production");
        for (String service : SERVICES) {
            Map<String, String> environment = podEnvironment(objects, service);
            assertThat(environment).as(service).containsEntry("SPRING_PROFILES_ACTIVE", "production");

            assertThat(UnsafeConfiguration.check(effective(objects, service, environment)))
                    .as(service + " in overlays/production, checked as ProductionConfigurationGuard does at start").isEmpty();
        }
    }

    @Test
    void shouldKeepTheLocalOverlayOutOfTheProductionProfile() throws IOException {
        List<Map<String, Object>> objects = render("local");
        for (String service : SERVICES) {
            Map<String, String> environment = podEnvironment(objects, service);
            assertThat(environment).as(service).doesNotContainKey("SPRING_PROFILES_ACTIVE");
        }
        // It would be refused there: the agents' identity provider is the sandbox, over http
        assertThat(UnsafeConfiguration.check(effective(objects, "ingest-service", podEnvironment(objects, "ingest-service"))))
                .extracting(UnsafeConfiguration.Finding::property).contains("answerline.ingest.jwt.issuer");
    }

    /** The properties the service would bind in this pod, as the guard collects them. */
    private static Map<String, String> effective(List<Map<String, Object>> objects, String service,
                                                 Map<String, String> environment) throws IOException {
        StandardEnvironment spring = new StandardEnvironment();
        // The pod environment under the name Boot reads environment variables by (ANSWERLINE_X_Y as answerline.x.y).
        spring.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        spring.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        spring.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(environment)));
        Map<String, Object> mounted = byKindPrefix(objects, "ConfigMap").get(service + "-config");
        spring.getPropertySources().addLast(new MapPropertySource("/etc/answerline/application.yml",
                flatten(stringMap(map(mounted.get("data"))).get("application.yml"))));
        Path resources = Tool.ROOT.resolve(service + "/src/main/resources");
        spring.getPropertySources().addLast(new MapPropertySource("application-production.yml",
                flatten(Files.readString(resources.resolve("application-production.yml")))));
        spring.getPropertySources().addLast(new MapPropertySource("application.yml",
                flatten(Files.readString(resources.resolve("application.yml")))));
        return ProductionConfigurationGuard.effectiveProperties(spring);
    }

    /** The pod's environment: its ConfigMaps (envFrom), then its own env; a Secret reference stands for its value. */
    private static Map<String, String> podEnvironment(List<Map<String, Object>> objects, String service) {
        Map<String, Object> workload = workloads(objects).stream().filter(w -> name(w).equals(service)).findFirst().orElseThrow();
        Map<String, Object> container = list(podSpec(workload).get("containers")).get(0);
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> from : list(container.get("envFrom"))) {
            String configMap = ((String) map(from.get("configMapRef")).get("name")).replaceFirst("-[a-z0-9]{10}$", "");
            environment.putAll(stringMap(map(byKindPrefix(objects, "ConfigMap").get(configMap).get("data"))));
        }
        for (Map<String, Object> variable : list(container.get("env"))) {
            Map<String, Object> secret = map(map(variable.get("valueFrom")).get("secretKeyRef"));
            String value = !secret.isEmpty() ? "value-of-secret-" + secret.get("name") + "-" + secret.get("key")
                    : variable.containsKey("value") ? String.valueOf(variable.get("value")) : "from-the-downward-api";
            environment.put((String) variable.get("name"), value);
        }
        return environment;
    }

    /** A YAML file's documents as Spring reads them, lists as name[index]; a later document wins. */
    private static Map<String, Object> flatten(String yaml) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                flatten("", document, properties);
            }
        }
        return properties;
    }

    private static void flatten(String name, Object node, Map<String, Object> into) {
        if (node instanceof Map<?, ?> children) {
            children.forEach((key, value) -> flatten(name.isEmpty() ? String.valueOf(key) : name + "." + key, value, into));
        } else if (node instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                flatten(name + "[" + i + "]", items.get(i), into);
            }
        } else {
            into.put(name, node == null ? "" : String.valueOf(node));
        }
    }
}
