package com.answerline.ops;

import static com.answerline.ops.MonitoringTest.list;
import static com.answerline.ops.MonitoringTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import com.answerline.platform.kafka.KafkaPlatformProperties;
import com.answerline.schemas.topic.Topics;

/**
 * Renders every overlay of deploy/k8s with {@code kubectl kustomize} (whatever kubectl is installed: v1.20's
 * kustomize v2.0.3 on a fresh Debian machine, v5 elsewhere; the manifests are written for both) and checks what an
 * operator relies on: probes on the services' real health groups, resources, disruption budgets, the autoscaler,
 * state volumes and standbys, scraping, secrets by reference only, one namespace, and the Kafka topics exactly
 * as the services declare them from the catalogue, with the overlay's conversation partition count.
 */
class KustomizeRenderTest {

    private static final String NAMESPACE = "answerline";
    private static final String SECRET = "answerline-provider-credentials";
    private static final long DEAD_LETTER_RETENTION_MS = Duration.ofDays(7).toMillis();
    /** dispatch-service's own topic (LedgerConfig.LEDGER_TOPIC): as many partitions as send-requests, compacted, 8 days. */
    /** dispatch's ledger of releases before 2026-12, kept (read once at start-up) until its 8 days have passed. */
    private static final String LEGACY_SEND_LEDGER = "dispatch-send-ledger";
    /**
     * Service -> the container port its actuator (health, prometheus) listens on: each its own management port (the
     * container port named "management", MANAGEMENT_SERVER_PORT), never the API's.
     */
    static final Map<String, Integer> ACTUATOR_PORTS = Map.of(
            "ingest-service", 9081, "session-service", 9082, "dispatch-service", 9083);
    /** The Kafka cluster's CA, copied from namespace kafka: the services' trust store for the TLS listener. */
    static final String KAFKA_CA_SECRET = "answerline-cluster-ca-cert";
    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    static List<Map<String, Object>> render(String overlay) {
        return renderFolder("overlays/" + overlay);
    }

    /** A kustomization under deploy/k8s (an overlay, or the Kafka cluster's), rendered once per test run. */
    static List<Map<String, Object>> renderFolder(String folder) {
        return RENDERED.computeIfAbsent(folder, o -> {
            Tool.Result result = Tool.kubectl().succeed(Tool.ROOT, "kustomize", "deploy/k8s/" + o);
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object document : new Yaml().loadAll(result.stdout())) {
                if (document != null) {
                    objects.add(map(document));
                }
            }
            return objects;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everythingIsInTheAnswerlineNamespace(String overlay) {
        for (Map<String, Object> object : render(overlay)) {
            if (kind(object).equals("Namespace")) {
                assertThat(name(object)).isEqualTo(NAMESPACE);
            } else {
                assertThat(map(object.get("metadata")).get("namespace")).as(kind(object) + " " + name(object)).isEqualTo(NAMESPACE);
            }
        }
        assertThat(byKind(render(overlay), "Namespace")).containsOnlyKeys(NAMESPACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void workloadsHaveProbesOnTheirHealthGroupsAndResources(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        assertThat(byKind(objects, "Deployment")).containsKey("ingest-service");
        assertThat(byKind(objects, "StatefulSet")).containsOnlyKeys("session-service", "dispatch-service");
        for (Map<String, Object> workload : workloads(objects)) {
            Map<String, Object> podSpec = podSpec(workload);
            int grace = (Integer) podSpec.get("terminationGracePeriodSeconds");
            assertThat(grace).as(name(workload)).isGreaterThanOrEqualTo(30);
            if (ACTUATOR_PORTS.containsKey(name(workload))) {
                // Kubernetes waits for the whole graceful shutdown: preStop pause + every phase's timeout
                // (listener containers, Streams close, web server drain).
                Map<String, Object> config = applicationConfig(name(workload));
                assertThat(path(config, "server", "shutdown")).as(name(workload)).isEqualTo("graceful");
                String phase = (String) path(config, "spring", "lifecycle", "timeout-per-shutdown-phase");
                assertThat(phase).as(name(workload) + " timeout-per-shutdown-phase").matches("\\d+s");
                assertThat(grace).as(name(workload) + " grace period").isGreaterThanOrEqualTo(3 * Integer.parseInt(phase.replace("s", "")) + 5);
                assertThat(path(config, "management", "endpoint", "health", "probes", "enabled")).as(name(workload)).isEqualTo(true);
            }
            for (Map<String, Object> container : list(podSpec.get("containers"))) {
                String where = name(workload) + "/" + container.get("name");
                Map<String, Object> resources = map(container.get("resources"));
                assertThat(map(resources.get("requests"))).as(where + " requests").containsKeys("cpu", "memory");
                assertThat(map(resources.get("limits"))).as(where + " limits").containsKey("memory");
                Map<String, Integer> ports = new HashMap<>();
                for (Map<String, Object> port : list(container.get("ports"))) {
                    ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
                }
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
                    assertThat(get).as(where + " " + probe).containsKeys("path", "port");
                    Integer port = get.get("port") instanceof String named ? ports.get(named) : (Integer) get.get("port");
                    assertThat(port).as(where + " " + probe + " port").isNotNull();
                    Integer actuator = ACTUATOR_PORTS.get(name(workload));
                    if (actuator != null) {
                        // The Spring Boot health groups (management.endpoint.health.probes / group.*).
                        String group = probe.equals("readinessProbe") ? "readiness" : "liveness";
                        assertThat(get.get("path")).as(where + " " + probe).isEqualTo("/actuator/health/" + group);
                        assertThat(port).as(where + " " + probe + " port").isEqualTo(actuator);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void disruptionBudgetsAutoscalerAndStateVolumes(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Map<String, Object>> budgets = byKind(objects, "PodDisruptionBudget");
        assertThat(budgets).containsKeys("ingest-service", "session-service", "dispatch-service");
        for (Map<String, Object> workload : workloads(objects)) {
            if (ACTUATOR_PORTS.containsKey(name(workload))) {
                Map<String, Object> selector = map(map(budgets.get(name(workload)).get("spec")).get("selector"));
                assertThat(podLabels(workload)).as(name(workload) + " PDB selector")
                        .containsAllEntriesOf(stringMap(selector.get("matchLabels")));
            }
        }

        Map<String, Object> hpa = map(byKind(objects, "HorizontalPodAutoscaler").get("ingest-service").get("spec"));
        assertThat(map(hpa.get("scaleTargetRef"))).containsEntry("kind", "Deployment").containsEntry("name", "ingest-service");
        assertThat((Integer) hpa.get("minReplicas")).isPositive().isLessThanOrEqualTo((Integer) hpa.get("maxReplicas"));
        assertThat((Integer) hpa.get("maxReplicas")).as("no more Streams instances than partitions")
                .isLessThanOrEqualTo(deployment(objects).conversationPartitions());

        Map<String, Map<String, Object>> services = byKind(objects, "Service");
        for (Map<String, Object> statefulSet : byKind(objects, "StatefulSet").values()) {
            Map<String, Object> spec = map(statefulSet.get("spec"));
            List<Map<String, Object>> claims = list(spec.get("volumeClaimTemplates"));
            assertThat(claims).as(name(statefulSet) + " state volume").hasSize(1);
            String claim = name(claims.get(0));
            Map<String, Object> container = list(podSpec(statefulSet).get("containers")).get(0);
            assertThat(list(container.get("volumeMounts"))).as(name(statefulSet))
                    .anySatisfy(m -> assertThat(m).containsEntry("name", claim).containsEntry("mountPath", "/var/lib/answerline"));
            Map<String, Object> headless = services.get((String) spec.get("serviceName"));
            assertThat(headless).as(name(statefulSet) + " headless service").isNotNull();
            assertThat(map(headless.get("spec")).get("clusterIP")).isEqualTo("None");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void standbyReplicasFollowTheInstanceCount(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Map<String, Object>> configMaps = byKindPrefix(objects, "ConfigMap");
        for (String service : List.of("session-service", "dispatch-service")) {
            int replicas = (Integer) map(byKind(objects, "StatefulSet").get(service).get("spec")).get("replicas");
            Map<String, Object> config = new Yaml().load((String) map(configMaps.get(service + "-config").get("data")).get("application.yml"));
            Object standbys = service.equals("session-service")
                    ? map(map(map(config.get("answerline")).get("session")).get("streams")).get("num-standby-replicas")
                    : map(map(config.get("spring")).get("kafka")).get("properties") instanceof Map<?, ?> p ? p.get("num.standby.replicas") : null;
            assertThat(standbys).as(overlay + " " + service + " standby replicas").isEqualTo(replicas > 1 ? 1 : 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceReadsTheOneTenantDirectory(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Map<String, Object>> configMaps = byKindPrefix(objects, "ConfigMap");
        // One tenants.yml with answerline.tenants, named (not optional) by every pod's additional config location
        Map<String, Object> tenants = new Yaml().load((String) map(configMaps.get("answerline-tenants").get("data")).get("tenants.yml"));
        assertThat(list(map(tenants.get("answerline")).get("tenants"))).as("answerline.tenants").isNotEmpty()
                .allSatisfy(number -> assertThat(number).containsKeys("tenant-id", "phone-number-id", "display-number", "waba-id"));
        assertThat(map(configMaps.get("answerline-common").get("data")).get("SPRING_CONFIG_ADDITIONAL_LOCATION"))
                .asString().contains(",file:/etc/answerline-tenants/tenants.yml");
        List<Map<String, Object>> services = workloads(objects).stream().filter(w -> name(w).endsWith("-service")).toList();
        assertThat(services).as("the three services").hasSize(3);
        for (Map<String, Object> workload : services) {
            Map<String, Object> podSpec = podSpec(workload);
            String volume = list(podSpec.get("volumes")).stream()
                    .filter(v -> String.valueOf(map(v.get("configMap")).get("name")).startsWith("answerline-tenants"))
                    .map(v -> (String) v.get("name")).findFirst().orElse(null);
            assertThat(volume).as(name(workload) + " mounts answerline-tenants").isNotNull();
            assertThat(list(podSpec.get("containers"))).as(name(workload)).allSatisfy(container ->
                    assertThat(list(container.get("volumeMounts"))).anySatisfy(mount -> {
                        assertThat(mount.get("name")).isEqualTo(volume);
                        assertThat(mount.get("mountPath")).isEqualTo("/etc/answerline-tenants");
                    }));
            // and no service keeps a copy of its own
            Map<String, Object> own = new Yaml().load((String) map(configMaps.get(name(workload) + "-config").get("data")).get("application.yml"));
            Map<String, Object> answerline = own == null ? Map.of() : map(own.get("answerline"));
            assertThat(answerline).as(name(workload) + " own tenants").doesNotContainKey("tenants");
            assertThat(map(answerline.get("ingest"))).doesNotContainKey("tenants");
            map(map(answerline.get("dispatch")).get("tenants")).values().forEach(settings ->
                    assertThat(map(settings)).as(name(workload) + " dispatch settings").doesNotContainKeys("phone-number-id", "display-number", "waba-id"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void configurationAndSecretsAreReferencesThatResolve(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Set<String> configMaps = byKind(objects, "ConfigMap").keySet();
        Map<String, Set<String>> secretKeys = new TreeMap<>();
        for (Map<String, Object> workload : workloads(objects)) {
            Map<String, Object> podSpec = podSpec(workload);
            for (Map<String, Object> volume : list(podSpec.get("volumes"))) {
                if (volume.containsKey("configMap")) {
                    assertThat(configMaps).as(name(workload) + " volume").contains((String) map(volume.get("configMap")).get("name"));
                }
            }
            for (Map<String, Object> container : list(podSpec.get("containers"))) {
                for (Map<String, Object> from : list(container.get("envFrom"))) {
                    assertThat(configMaps).as(name(workload) + " envFrom").contains((String) map(from.get("configMapRef")).get("name"));
                }
                for (Map<String, Object> env : list(container.get("env"))) {
                    Map<String, Object> ref = map(map(env.get("valueFrom")).get("secretKeyRef"));
                    if (!ref.isEmpty()) {
                        secretKeys.computeIfAbsent((String) ref.get("name"), k -> new java.util.TreeSet<>()).add((String) ref.get("key"));
                    }
                }
            }
        }
        // The provider credentials, each service's Kafka user (Strimzi's User Operator writes a Secret per KafkaUser)
        // and the Kafka cluster's CA; nothing else.
        Set<String> allowed = new java.util.TreeSet<>(byKind(objects, "KafkaUser").keySet());
        allowed.addAll(List.of(SECRET, KAFKA_CA_SECRET));
        assertThat(allowed).as("KafkaUsers").hasSize(5);
        assertThat(secretKeys.keySet()).as("secrets referenced").contains(SECRET).isSubsetOf(allowed);
        for (Map<String, Object> workload : workloads(objects)) {
            for (Map<String, Object> volume : list(podSpec(workload).get("volumes"))) {
                if (volume.containsKey("secret")) {
                    assertThat(allowed).as(name(workload) + " secret volume").contains((String) map(volume.get("secret")).get("secretName"));
                }
            }
        }
        Map<String, Map<String, Object>> secrets = byKind(objects, "Secret");
        if (overlay.equals("production")) {
            // Real credentials never live in the repository: production expects the Secret created out of band.
            assertThat(secrets).isEmpty();
        } else {
            assertThat(stringMap(secrets.get(SECRET).get("stringData")).keySet()).containsAll(secretKeys.get(SECRET));
            assertThat(stringMap(secrets.get(SECRET).get("stringData")).values()).allSatisfy(v ->
                    assertThat(v).matches("local-dev-.*|AC0+"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceIsScrapedOnceOnItsActuator(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Map<String, Object>> monitors = byKind(objects, "ServiceMonitor");
        assertThat(monitors).containsOnlyKeys(ACTUATOR_PORTS.keySet());
        for (Map<String, Object> monitor : monitors.values()) {
            Map<String, String> selector = stringMap(map(map(monitor.get("spec")).get("selector")).get("matchLabels"));
            List<Map<String, Object>> matched = byKind(objects, "Service").values().stream()
                    .filter(s -> stringMap(map(s.get("metadata")).get("labels")).entrySet().containsAll(selector.entrySet()))
                    .toList();
            // One Service per job (the job label is the Service name, as the alert rules expect).
            assertThat(matched).as(name(monitor)).extracting(KustomizeRenderTest::name).containsExactly(name(monitor));
            Map<String, Object> endpoint = list(map(monitor.get("spec")).get("endpoints")).get(0);
            assertThat(endpoint).containsEntry("path", "/actuator/prometheus");
            Map<String, Object> servicePort = list(map(matched.get(0).get("spec")).get("ports")).stream()
                    .filter(p -> Objects.equals(p.get("name"), endpoint.get("port"))).findFirst().orElseThrow();
            assertThat(servicePort.get("port")).as(name(monitor)).isEqualTo(ACTUATOR_PORTS.get(name(monitor)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void alertRulesAreDeployedAsTheyAreTested(String overlay) throws java.io.IOException {
        Map<String, Object> rule = byKind(render(overlay), "PrometheusRule").get("answerline-alerts");
        assertThat(rule).as("PrometheusRule answerline-alerts").isNotNull();
        Object tested = MonitoringTest.yaml(Tool.ROOT.resolve("deploy/monitoring/prometheus/rules/answerline-alerts.yml")).get("groups");
        assertThat(map(rule.get("spec")).get("groups"))
                .as("deploy/k8s/base/prometheus-rule.yaml spec.groups = deploy/monitoring/prometheus/rules/answerline-alerts.yml groups")
                .isEqualTo(tested);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void kafkaTopicsAreExactlyTheCatalogue(String overlay) {
        // The catalogue as the services declare it in this overlay: conversation topics with its partition count.
        KafkaPlatformProperties deployment = deployment(render(overlay));
        Map<String, NewTopic> expected = new TreeMap<>();
        for (NewTopic topic : deployment.newTopics(Topics.ALL, Optional.empty())) {
            expected.put(topic.name(), topic);
        }
        expected.put(LEGACY_SEND_LEDGER, new NewTopic(LEGACY_SEND_LEDGER, deployment.partitionsOf(Topics.SEND_REQUESTS), (short) 1)
                .configs(Map.of("cleanup.policy", "compact,delete", "retention.ms", Long.toString(Duration.ofDays(8).toMillis()))));

        Map<String, Map<String, Object>> manifests = new TreeMap<>();
        for (Map<String, Object> topic : byKind(render(overlay), "KafkaTopic").values()) {
            Map<String, Object> spec = map(topic.get("spec"));
            assertThat(spec.get("topicName")).as("topicName of " + name(topic)).isEqualTo(name(topic));
            assertThat(stringMap(map(topic.get("metadata")).get("labels"))).containsKey("strimzi.io/cluster");
            manifests.put(name(topic), spec);
        }
        assertThat(manifests.keySet()).as("KafkaTopic manifests (deploy/k8s/base/kafka-topics.yaml) against Topics.ALL, "
                + "their -dlt twins and " + LEGACY_SEND_LEDGER).containsExactlyElementsOf(expected.keySet());

        expected.forEach((name, topic) -> {
            Map<String, Object> spec = manifests.get(name);
            assertThat(spec.get("partitions")).as(name + " partitions").isEqualTo(topic.numPartitions());
            Map<String, String> config = stringMap(spec.get("config"));
            Map<String, String> wanted = new LinkedHashMap<>(topic.configs());
            if (wanted.get("cleanup.policy").equals("delete") && !wanted.containsKey("retention.ms")) {
                // The broker's default, written out so operators see it: 7 days.
                wanted.put("retention.ms", Long.toString(DEAD_LETTER_RETENTION_MS));
            }
            assertThat(config).as(name + " config").isEqualTo(wanted);
        });
    }

    /**
     * The services' {@code answerline.kafka.conversation-partitions} is one value per overlay, the one the topics
     * are declared with above: set once in the answerline-common ConfigMap, which every service reads, and
     * overridden nowhere else (per-service ConfigMaps, container env, the services' configuration files).
     */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceHasTheOverlaysConversationPartitions(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        assertThat(stringMap(map(byKindPrefix(objects, "ConfigMap").get("answerline-common").get("data"))))
                .as(overlay + " answerline-common").containsKey(PARTITIONS_ENV);
        for (Map<String, Object> workload : workloads(objects)) {
            if (!ACTUATOR_PORTS.containsKey(name(workload))) {
                continue;
            }
            Map<String, Object> container = list(podSpec(workload).get("containers")).get(0);
            assertThat(list(container.get("envFrom"))).as(name(workload) + " envFrom")
                    .anySatisfy(from -> assertThat(String.valueOf(map(from.get("configMapRef")).get("name")))
                            .startsWith("answerline-common"));
            assertThat(list(container.get("env"))).as(name(workload) + " env")
                    .noneSatisfy(env -> assertThat(env.get("name")).isEqualTo(PARTITIONS_ENV));
            Map<String, Object> own = byKindPrefix(objects, "ConfigMap").get(name(workload));
            assertThat(stringMap(own == null ? null : map(own.get("data")))).as(name(workload) + " ConfigMap")
                    .doesNotContainKey(PARTITIONS_ENV);
            Map<String, Object> files = byKindPrefix(objects, "ConfigMap").get(name(workload) + "-config");
            Object application = files == null ? null : map(files.get("data")).get("application.yml");
            Object kafka = application == null ? null : map(map(new Yaml().load((String) application)).get("answerline")).get("kafka");
            assertThat(kafka).as(name(workload) + " application.yml answerline.kafka").isNull();
            // The partition count only: answerline.kafka.membership (the group timeouts) is written out in each
            // application.yml, the same in all three.
            assertThat(path(applicationConfig(name(workload)), "answerline", "kafka", "conversation-partitions"))
                    .as(name(workload) + "/src/main/resources/application.yml answerline.kafka.conversation-partitions:"
                            + " the default is the record's").isNull();
            assertThat(path(applicationConfig(name(workload)), "answerline", "kafka", "membership", "session-timeout"))
                    .as(name(workload) + " answerline.kafka.membership.session-timeout (docs/reliability.md Takeover)")
                    .isEqualTo("6s");
        }
    }

    private static final String PARTITIONS_ENV = "ANSWERLINE_KAFKA_CONVERSATIONPARTITIONS";

    /** The services' setting in a rendered overlay (answerline-common), as the platform binds it. */
    private static KafkaPlatformProperties deployment(List<Map<String, Object>> objects) {
        String value = stringMap(map(byKindPrefix(objects, "ConfigMap").get("answerline-common").get("data"))).get(PARTITIONS_ENV);
        return value == null ? KafkaPlatformProperties.DEFAULTS : new KafkaPlatformProperties(Integer.parseInt(value));
    }

    /** Health groups behind the readiness probes: the service's own state, Streams included where it serves from it. */
    @ParameterizedTest
    @ValueSource(strings = {"ingest-service:identityDirectory", "session-service:kafkaStreams", "dispatch-service:decisionStreams"})
    void readinessGroupsIncludeWhatTheServiceNeeds(String serviceAndComponent) {
        String[] parts = serviceAndComponent.split(":");
        Object include = path(applicationConfig(parts[0]), "management", "endpoint", "health", "group", "readiness", "include");
        assertThat(String.valueOf(include).split("\\s*,\\s*")).as(parts[0]).contains("readinessState", parts[1]);
    }

    /** The service's application.yml, its documents merged in order (a later document overrides), as Boot reads it. */
    static Map<String, Object> applicationConfig(String service) {
        try {
            Map<String, Object> merged = new LinkedHashMap<>();
            String text = java.nio.file.Files.readString(Tool.ROOT.resolve(service + "/src/main/resources/application.yml"));
            for (Object document : new Yaml().loadAll(text)) {
                flatten("", map(document), merged);
            }
            Map<String, Object> tree = new LinkedHashMap<>();
            merged.forEach((key, value) -> {
                Map<String, Object> node = tree;
                String[] names = key.split("\\.");
                for (int i = 0; i < names.length - 1; i++) {
                    node = map(node.computeIfAbsent(names[i], n -> new LinkedHashMap<String, Object>()));
                }
                node.put(names[names.length - 1], value);
            });
            return tree;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void flatten(String prefix, Map<String, Object> node, Map<String, Object> into) {
        node.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> child) {
                flatten(name, map(child), into);
            } else {
                into.put(name, value);
            }
        });
    }

    static Object path(Map<String, Object> tree, String... names) {
        Object node = tree;
        for (String name : names) {
            node = map(node).get(name);
        }
        return node;
    }

    // --- helpers --------------------------------------------------------------------------------------------

    static List<Map<String, Object>> workloads(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> Set.of("Deployment", "StatefulSet").contains(kind(o))).toList();
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    private static Map<String, String> podLabels(Map<String, Object> workload) {
        return stringMap(map(map(map(workload.get("spec")).get("template")).get("metadata")).get("labels"));
    }

    static Map<String, Map<String, Object>> byKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind(o).equals(kind))
                .collect(Collectors.toMap(KustomizeRenderTest::name, o -> o, (a, b) -> {
                    throw new AssertionError("two " + kind + " named " + name(a));
                }, LinkedHashMap::new));
    }

    /** ConfigMaps by their name without kustomize's hash suffix (it differs between kustomize versions). */
    static Map<String, Map<String, Object>> byKindPrefix(List<Map<String, Object>> objects, String kind) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        byKind(objects, kind).forEach((name, object) -> result.put(name.replaceFirst("-[a-z0-9]{10}$", ""), object));
        return result;
    }

    static String kind(Map<String, Object> object) {
        return (String) object.get("kind");
    }

    static String name(Map<String, Object> object) {
        return (String) map(object.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> stringMap(Object value) {
        Map<String, String> result = new LinkedHashMap<>();
        ((Map<String, Object>) (value == null ? Map.of() : value)).forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }
}
