package com.answerline.ops;

import static com.answerline.ops.MonitoringTest.list;
import static com.answerline.ops.MonitoringTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * deploy/compose/compose.yaml, checked without a Docker engine (none on the build machines): it parses (anchors and
 * merge keys resolved), names every component of the stack with a pinned image, a healthcheck and a memory limit,
 * publishes ports on 127.0.0.1 only, builds the service images from files that exist, and mounts the monitoring
 * configuration Prometheus and Grafana need. {@code docker compose config} would check the schema too; it needs the
 * compose plugin, which the build machines do not have (see deploy/README.md).
 */
class ComposeFileTest {

    private static final Path COMPOSE_DIR = Tool.ROOT.resolve("deploy/compose");

    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = MonitoringTest.yaml(COMPOSE_DIR.resolve("compose.yaml"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) (Map<?, ?>) map(compose.get("services"));
        return services;
    }

    @Test
    void everyComponentHasAPinnedImageAHealthcheckAndAMemoryLimit() throws IOException {
        Map<String, Map<String, Object>> services = services();
        assertThat(services).containsOnlyKeys("kafka", "registry", "ingest-service", "session-service",
                "dispatch-service", "provider-sandbox", "prometheus", "grafana");
        assertThat(services.get("kafka").get("image")).asString().matches("apache/kafka:4\\.1\\.\\d+");
        assertThat(services.get("registry").get("image")).asString().startsWith("apicurio/apicurio-registry");
        services.forEach((name, service) -> {
            assertThat(service.get("image")).as(name).asString().matches("[^:]+:v?[0-9][^:]*")
                    .doesNotEndWith(":latest");
            assertThat(map(service.get("healthcheck")).get("test")).as(name + " healthcheck").isNotNull();
            assertThat(service.get("mem_limit")).as(name + " mem_limit").isNotNull();
        });
    }

    @Test
    void portsArePublishedOnLoopbackOnly() throws IOException {
        services().forEach((name, service) -> {
            assertThat((List<?>) service.get("ports")).as(name).isNotEmpty()
                    .allSatisfy(port -> assertThat(port.toString()).as(name).startsWith("127.0.0.1:"));
        });
        // The same host ports as deploy/local/stack (one of the two runs at a time).
        assertThat(services().get("ingest-service").get("ports").toString()).contains("127.0.0.1:8081:8081", "127.0.0.1:8084:8084",
                "127.0.0.1:9081:9081");
        assertThat(services().get("session-service").get("ports").toString()).contains("127.0.0.1:8082:8082", "127.0.0.1:9082:9082");
        assertThat(services().get("dispatch-service").get("ports").toString()).contains("127.0.0.1:8083:8083", "127.0.0.1:9083:9083");
    }

    @Test
    void serviceImagesAreBuiltFromTheMavenJars() throws IOException {
        for (String name : List.of("ingest-service", "session-service", "dispatch-service", "provider-sandbox")) {
            Map<String, Object> service = services().get(name);
            Map<String, Object> build = map(service.get("build"));
            Path context = COMPOSE_DIR.resolve((String) build.get("context")).normalize();
            assertThat(context).isEqualTo(Tool.ROOT);
            assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
            String jar = (String) map(build.get("args")).get("JAR_FILE");
            Path module = context.resolve(jar).getParent().getParent();
            assertThat(module.resolve("pom.xml")).as(name + " module of " + jar).isRegularFile();
            assertThat(Files.readString(module.resolve("pom.xml"))).as(jar).contains("<artifactId>" + name + "</artifactId>");
            assertThat(jar).endsWith("/target/" + name + "-0.1.0-SNAPSHOT.jar");
            assertThat(map(service.get("environment"))).as(name).containsEntry("SERVER_ADDRESS", "0.0.0.0");
        }
        // Streams state survives a container restart.
        assertThat(services().get("session-service").get("volumes").toString()).contains(":/var/lib/answerline");
        assertThat(services().get("dispatch-service").get("volumes").toString()).contains(":/var/lib/answerline");
    }

    @Test
    void prometheusAndGrafanaGetTheMonitoringConfiguration() throws IOException {
        for (String name : List.of("prometheus", "grafana")) {
            for (Object volume : (List<?>) services().get(name).get("volumes")) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(COMPOSE_DIR.resolve(source).normalize()).as(name + " mount " + volume).isDirectory();
                }
            }
        }
        assertThat(services().get("prometheus").get("command").toString()).contains("prometheus-compose.yml");
        // Prometheus scrapes the compose services on their container ports.
        Map<String, Object> scrape = MonitoringTest.yaml(Tool.ROOT.resolve("deploy/monitoring/prometheus/prometheus-compose.yml"));
        for (Map<String, Object> job : list(scrape.get("scrape_configs"))) {
            String target = list(job.get("static_configs")).get(0).get("targets").toString().replaceAll("[\\[\\]]", "");
            String host = target.split(":")[0];
            assertThat(services()).as(target).containsKey(host);
            assertThat(services().get(host).get("ports").toString()).as(target).contains(":" + target.split(":")[1] + ":");
        }
    }
}
