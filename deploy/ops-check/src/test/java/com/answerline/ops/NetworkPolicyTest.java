package com.answerline.ops;

import static com.answerline.ops.KustomizeRenderTest.byKind;
import static com.answerline.ops.KustomizeRenderTest.name;
import static com.answerline.ops.KustomizeRenderTest.podSpec;
import static com.answerline.ops.KustomizeRenderTest.render;
import static com.answerline.ops.KustomizeRenderTest.stringMap;
import static com.answerline.ops.KustomizeRenderTest.workloads;
import static com.answerline.ops.MonitoringTest.list;
import static com.answerline.ops.MonitoringTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may talk to whom, evaluated from the rendered NetworkPolicies as Kubernetes does (a connection passes when a
 * policy of the destination pod admits it and a policy of the source pod lets it out; a pod no policy selects for a
 * direction is open in that direction; named ports resolve on the destination pod), for every pair that matters:
 * the allowed ones and the ones the default deny must stop. Also: no pod gets a Kubernetes API token.
 */
class NetworkPolicyTest {

    private static final String NAMESPACE = "answerline";

    /** A pod: its namespace, labels and named ports; or an address outside the cluster (ip set). */
    record Endpoint(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports, String ip) {
        boolean inCluster() {
            return ip == null;
        }
    }

    private static final Endpoint INGRESS_CONTROLLER = outside("ingress-nginx", "ingress-nginx", "app.kubernetes.io/name", "ingress-nginx");
    private static final Endpoint PROMETHEUS = outside("prometheus", "monitoring", "app.kubernetes.io/name", "prometheus");
    private static final Endpoint ROGUE_POD = outside("a pod of another namespace", "default", "app", "anything");
    private static final Endpoint KAFKA_BROKER = new Endpoint("kafka broker", "kafka",
            Map.of("strimzi.io/cluster", "answerline", "strimzi.io/kind", "Kafka", "strimzi.io/name", "answerline-kafka"), Map.of(), null);
    private static final Endpoint REGISTRY = outside("schema registry", "kafka", "app.kubernetes.io/name", "schema-registry");
    private static final Endpoint DNS = outside("cluster DNS", "kube-system", "k8s-app", "kube-dns");
    private static final Endpoint INTERNET = new Endpoint("graph.facebook.com", null, Map.of(), Map.of(), "157.240.0.35");
    private static final Endpoint METADATA = new Endpoint("cloud metadata service", null, Map.of(), Map.of(), "169.254.169.254");
    private static final Endpoint NODE_NETWORK = new Endpoint("an address inside the VPC", null, Map.of(), Map.of(), "10.0.3.7");

    private static Endpoint outside(String name, String namespace, String label, String value) {
        return new Endpoint(name, namespace, Map.of(label, value), Map.of(), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void shouldDenyEverythingByDefaultAndAllowOnlyTheDocumentedPaths(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Object> defaultDeny = byKind(objects, "NetworkPolicy").get("default-deny");
        assertThat(defaultDeny).as("NetworkPolicy default-deny").isNotNull();
        assertThat(map(defaultDeny.get("spec"))).containsEntry("podSelector", Map.of())
                .containsEntry("policyTypes", List.of("Ingress", "Egress")).doesNotContainKeys("ingress", "egress");

        Policies policies = new Policies(objects);
        Endpoint ingest = policies.pod("ingest-service");
        Endpoint session = policies.pod("session-service");
        Endpoint dispatch = policies.pod("dispatch-service");
        List<Endpoint> services = List.of(ingest, session, dispatch);

        // Allowed: the documented paths
        assertThat(policies.allows(INGRESS_CONTROLLER, ingest, "http")).as("ingress controller -> ingest").isTrue();
        assertThat(policies.allows(INGRESS_CONTROLLER, ingest, "webhooks")).as("ingress controller -> ingest webhooks").isTrue();
        assertThat(policies.allows(ingest, session, "http")).as("gateway -> session").isTrue();
        assertThat(policies.allows(ingest, dispatch, "http")).as("gateway -> dispatch").isTrue();
        assertThat(policies.allows(session, session, "http")).as("session peers").isTrue();
        assertThat(policies.allows(ingest, ingest, "http")).as("ingest peers").isTrue();
        assertThat(policies.allows(dispatch, INTERNET, 443)).as("dispatch -> providers").isTrue();
        assertThat(policies.allows(ingest, INTERNET, 443)).as("ingest -> JWKS, Cloud API media").isTrue();
        for (Endpoint service : services) {
            assertThat(policies.allows(service, KAFKA_BROKER, 9093)).as(service.name() + " -> Kafka TLS listener").isTrue();
            assertThat(policies.allows(service, REGISTRY, 8080)).as(service.name() + " -> registry").isTrue();
            assertThat(policies.allows(service, DNS, 53, "UDP")).as(service.name() + " -> DNS").isTrue();
            assertThat(policies.allows(PROMETHEUS, service, "management")).as("Prometheus -> " + service.name() + " management").isTrue();
        }

        // Denied: everything else that matters
        assertThat(policies.allows(INGRESS_CONTROLLER, ingest, "management")).as("ingress controller -> ingest management").isFalse();
        assertThat(policies.allows(INGRESS_CONTROLLER, session, "http")).as("ingress controller -> session").isFalse();
        assertThat(policies.allows(session, dispatch, "http")).as("session -> dispatch").isFalse();
        assertThat(policies.allows(dispatch, session, "http")).as("dispatch -> session").isFalse();
        assertThat(policies.allows(dispatch, dispatch, "http")).as("dispatch -> dispatch").isFalse();
        assertThat(policies.allows(session, ingest, "http")).as("session -> ingest").isFalse();
        assertThat(policies.allows(ingest, ingest, "webhooks")).as("ingest peers -> webhooks").isFalse();
        assertThat(policies.allows(session, INTERNET, 443)).as("session -> internet").isFalse();
        assertThat(policies.allows(session, KAFKA_BROKER, 9092)).as("plaintext Kafka port").isFalse();
        for (Endpoint service : services) {
            assertThat(policies.allows(ROGUE_POD, service, "http")).as("another namespace -> " + service.name()).isFalse();
            assertThat(policies.allows(ROGUE_POD, service, "management")).as("another namespace -> " + service.name() + " management").isFalse();
            assertThat(policies.allows(PROMETHEUS, service, "http")).as("Prometheus -> " + service.name() + " API").isFalse();
            assertThat(policies.allows(service, METADATA, 80)).as(service.name() + " -> metadata service").isFalse();
            assertThat(policies.allows(service, METADATA, 443)).as(service.name() + " -> metadata service").isFalse();
            assertThat(policies.allows(service, NODE_NETWORK, 443)).as(service.name() + " -> private network").isFalse();
            assertThat(policies.allows(service, INTERNET, 80)).as(service.name() + " -> internet over http").isFalse();
            for (Endpoint other : services) {
                assertThat(policies.allows(other, service, "management")).as(other.name() + " -> " + service.name() + " management").isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void shouldMountNoServiceAccountTokenInAnyPod(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Map<String, Object>> accounts = byKind(objects, "ServiceAccount");
        assertThat(accounts).isNotEmpty();
        accounts.values().forEach(account ->
                assertThat(account).as("ServiceAccount " + name(account)).containsEntry("automountServiceAccountToken", false));
        for (Map<String, Object> workload : workloads(objects)) {
            Map<String, Object> pod = podSpec(workload);
            assertThat(pod).as(name(workload) + " pod").containsEntry("automountServiceAccountToken", false);
            assertThat(accounts).as(name(workload) + " service account").containsKey((String) pod.get("serviceAccountName"));
        }
    }

    /** The rendered policies of the namespace, and the pods of its workloads. */
    static final class Policies {
        private final List<Map<String, Object>> policies = new ArrayList<>();
        private final Map<String, Endpoint> pods = new HashMap<>();

        Policies(List<Map<String, Object>> objects) {
            policies.addAll(byKind(objects, "NetworkPolicy").values());
            for (Map<String, Object> workload : workloads(objects)) {
                Map<String, Integer> ports = new HashMap<>();
                for (Map<String, Object> container : list(podSpec(workload).get("containers"))) {
                    for (Map<String, Object> port : list(container.get("ports"))) {
                        ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
                    }
                }
                Map<String, String> labels = stringMap(map(map(map(workload.get("spec")).get("template")).get("metadata")).get("labels"));
                pods.put(name(workload), new Endpoint(name(workload), NAMESPACE, labels, ports, null));
            }
        }

        Endpoint pod(String name) {
            return Objects.requireNonNull(pods.get(name), name);
        }

        boolean allows(Endpoint from, Endpoint to, String namedPort) {
            Integer port = to.ports().get(namedPort);
            assertThat(port).as(to.name() + " port " + namedPort).isNotNull();
            return allows(from, to, port, "TCP");
        }

        boolean allows(Endpoint from, Endpoint to, int port) {
            return allows(from, to, port, "TCP");
        }

        boolean allows(Endpoint from, Endpoint to, int port, String protocol) {
            return admitted(from, to, port, protocol, "Egress", from) && admitted(from, to, port, protocol, "Ingress", to);
        }

        /** Whether the policies of {@code subject} (the source for Egress, the destination for Ingress) let it pass. */
        private boolean admitted(Endpoint from, Endpoint to, int port, String protocol, String direction, Endpoint subject) {
            if (!subject.inCluster() || !NAMESPACE.equals(subject.namespace())) {
                return true;   // not ours to decide
            }
            Endpoint peer = direction.equals("Egress") ? to : from;
            boolean selected = false;
            for (Map<String, Object> policy : policies) {
                Map<String, Object> spec = map(policy.get("spec"));
                @SuppressWarnings("unchecked")
                List<String> types = (List<String>) spec.getOrDefault("policyTypes", List.of("Ingress"));
                if (!types.contains(direction) || !matches(map(spec.get("podSelector")), subject.labels())) {
                    continue;
                }
                selected = true;
                String rulesKey = direction.equals("Egress") ? "egress" : "ingress";
                String peersKey = direction.equals("Egress") ? "to" : "from";
                for (Map<String, Object> rule : list(spec.get(rulesKey))) {
                    boolean peerMatches = !rule.containsKey(peersKey)
                            || list(rule.get(peersKey)).stream().anyMatch(p -> peerMatches(p, peer));
                    boolean portMatches = !rule.containsKey("ports")
                            || list(rule.get("ports")).stream().anyMatch(p -> portMatches(p, to, port, protocol));
                    if (peerMatches && portMatches) {
                        return true;
                    }
                }
            }
            return !selected;
        }

        private static boolean peerMatches(Map<String, Object> peer, Endpoint endpoint) {
            if (peer.containsKey("ipBlock")) {
                if (endpoint.inCluster()) {
                    return false;   // pod addresses are in the excluded private ranges (and policies name pods by label)
                }
                Map<String, Object> block = map(peer.get("ipBlock"));
                @SuppressWarnings("unchecked")
                List<String> except = (List<String>) block.getOrDefault("except", List.of());
                return inCidr(endpoint.ip(), (String) block.get("cidr")) && except.stream().noneMatch(c -> inCidr(endpoint.ip(), c));
            }
            if (!endpoint.inCluster()) {
                return false;
            }
            boolean namespaceMatches = peer.containsKey("namespaceSelector")
                    ? matches(map(peer.get("namespaceSelector")), Map.of("kubernetes.io/metadata.name", endpoint.namespace()))
                    : NAMESPACE.equals(endpoint.namespace());
            boolean podMatches = !peer.containsKey("podSelector") || matches(map(peer.get("podSelector")), endpoint.labels());
            return namespaceMatches && podMatches;
        }

        private static boolean portMatches(Map<String, Object> rule, Endpoint to, int port, String protocol) {
            if (!Objects.equals(rule.getOrDefault("protocol", "TCP"), protocol)) {
                return false;
            }
            Object wanted = rule.get("port");
            if (wanted == null) {
                return true;
            }
            return wanted instanceof Integer number ? number == port : Objects.equals(to.ports().get((String) wanted), port);
        }

        private static boolean matches(Map<String, Object> selector, Map<String, String> labels) {
            for (Map.Entry<String, String> label : stringMap(selector.get("matchLabels")).entrySet()) {
                if (!label.getValue().equals(labels.get(label.getKey()))) {
                    return false;
                }
            }
            for (Map<String, Object> expression : list(selector.get("matchExpressions"))) {
                @SuppressWarnings("unchecked")
                List<String> values = (List<String>) expression.getOrDefault("values", List.of());
                String value = labels.get((String) expression.get("key"));
                boolean in = value != null && values.contains(value);
                switch ((String) expression.get("operator")) {
                    case "In" -> { if (!in) return false; }
                    case "NotIn" -> { if (in) return false; }
                    case "Exists" -> { if (value == null) return false; }
                    case "DoesNotExist" -> { if (value != null) return false; }
                    default -> throw new AssertionError("operator " + expression.get("operator"));
                }
            }
            return true;
        }

        private static boolean inCidr(String ip, String cidr) {
            String[] parts = cidr.split("/");
            int bits = Integer.parseInt(parts[1]);
            long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
            return (toLong(ip) & mask) == (toLong(parts[0]) & mask);
        }

        private static long toLong(String ip) {
            long value = 0;
            for (String octet : ip.split("\\.")) {
                value = value << 8 | Integer.parseInt(octet);
            }
            return value;
        }
    }
}
