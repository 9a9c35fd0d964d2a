package com.answerline.ops;

import static com.answerline.ops.KustomizeRenderTest.applicationConfig;
import static com.answerline.ops.KustomizeRenderTest.byKind;
import static com.answerline.ops.KustomizeRenderTest.name;
import static com.answerline.ops.KustomizeRenderTest.path;
import static com.answerline.ops.KustomizeRenderTest.podSpec;
import static com.answerline.ops.KustomizeRenderTest.render;
import static com.answerline.ops.KustomizeRenderTest.renderFolder;
import static com.answerline.ops.KustomizeRenderTest.stringMap;
import static com.answerline.ops.MonitoringTest.list;
import static com.answerline.ops.MonitoringTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.answerline.schemas.topic.TopicAccess;

/**
 * The Kafka ACLs of every overlay, as rendered, against what each service reads and writes
 * ({@link TopicAccess}, which each service's tests check against its consumers, producers and topologies): one
 * {@code KafkaUser} per service, SCRAM-SHA-512, and exactly the ACLs the declaration needs. A missing ACL fails (the
 * service could not work), and so does a broader one (another topic, another operation, a wildcard or a prefix
 * beyond the service's Streams application id). The Kafka cluster (deploy/k8s/kafka) offers one listener, TLS with
 * SCRAM, and enforces the ACLs; every service pod connects over SASL_SSL as its own user.
 */
class KafkaAclTest {

    /** One allowed operation on one resource, as Strimzi's simple authorization spells them. */
    record Acl(String type, String name, String patternType, String operation) implements Comparable<Acl> {
        @Override
        public int compareTo(Acl other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return type + ":" + name + (patternType.equals("prefix") ? "*" : "") + " " + operation;
        }
    }

    /** The ACLs a service needs, from the declaration. */
    static Set<Acl> expected(TopicAccess access) {
        Set<Acl> acls = new TreeSet<>();
        access.readTopics().forEach(topic -> acls.add(new Acl("topic", topic, "literal", "Read")));
        access.writeTopics().forEach(topic -> acls.add(new Acl("topic", topic, "literal", "Write")));
        access.describeTopics().forEach(topic -> acls.add(new Acl("topic", topic, "literal", "Describe")));
        // Kafka Streams: its consumer group, its internal topics (<application.id>-...-changelog / -repartition,
        // created, described, read, written, purged and, by the reset tool, deleted), and under exactly-once its
        // transactional ids (<application.id>-<process>-<thread>).
        String prefix = access.applicationId() + "-";
        for (String operation : List.of("Create", "Delete", "Describe", "DescribeConfigs", "Read", "Write")) {
            acls.add(new Acl("topic", prefix, "prefix", operation));
        }
        for (String group : concat(access.applicationId(), access.groups())) {
            acls.add(new Acl("group", group, "literal", "Read"));
            acls.add(new Acl("group", group, "literal", "Describe"));
        }
        if (access.exactlyOnce()) {
            acls.add(new Acl("transactionalId", prefix, "prefix", "Describe"));
            acls.add(new Acl("transactionalId", prefix, "prefix", "Write"));
        }
        return acls;
    }

    /** The ACLs of a rendered KafkaUser, one per operation. */
    static Set<Acl> rendered(Map<String, Object> user) {
        Set<Acl> acls = new TreeSet<>();
        for (Map<String, Object> acl : list(map(map(map(user.get("spec")).get("authorization"))).get("acls"))) {
            Map<String, Object> resource = map(acl.get("resource"));
            String pattern = String.valueOf(resource.getOrDefault("patternType", "literal"));
            @SuppressWarnings("unchecked")
            List<String> operations = acl.containsKey("operations") ? (List<String>) acl.get("operations")
                    : List.of((String) acl.get("operation"));
            for (String operation : operations) {
                acls.add(new Acl((String) resource.get("type"), String.valueOf(resource.get("name")), pattern, operation));
            }
        }
        return acls;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void shouldGiveEachServiceExactlyTheAclsOfWhatItReadsAndWrites(String overlay) {
        Map<String, Map<String, Object>> users = byKind(render(overlay), "KafkaUser");
        assertThat(users).as("one KafkaUser per service")
                .containsOnlyKeys(TopicAccess.ALL.stream().map(TopicAccess::service).toList());
        for (TopicAccess access : TopicAccess.ALL) {
            Map<String, Object> user = users.get(access.service());
            assertThat(stringMap(map(user.get("metadata")).get("labels"))).containsEntry("strimzi.io/cluster", "answerline");
            Map<String, Object> spec = map(user.get("spec"));
            assertThat(map(spec.get("authentication"))).as(access.service()).containsEntry("type", "scram-sha-512");
            assertThat(map(spec.get("authorization"))).as(access.service()).containsEntry("type", "simple");

            Set<Acl> rendered = rendered(user);
            Set<Acl> expected = expected(access);
            assertThat(difference(expected, rendered)).as(access.service() + ": ACLs missing (deploy/k8s/base/kafka-users.yaml)").isEmpty();
            assertThat(difference(rendered, expected)).as(access.service() + ": ACLs broader than what it reads and writes").isEmpty();
            assertThat(rendered).as(access.service() + ": no wildcard, no operation All, no cluster-wide right")
                    .noneMatch(acl -> acl.name().contains("*") || acl.operation().equals("All") || acl.type().equals("cluster"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void shouldLetOnlyDispatchWriteSendRequestsAndOnlyIngestOriginateInboundMessages(String overlay) {
        Map<String, Map<String, Object>> users = byKind(render(overlay), "KafkaUser");

        // Sending: a record on send-requests makes dispatch message a customer on a tenant's account
        assertThat(writers(users, "send-requests")).containsExactly("dispatch-service");
        // Customer messages come from ingest; session-service (which folds them) may only write a misplaced
        // upstream record again to its conversation's partition (the upstream guard's forward)
        assertThat(writers(users, "inbound-messages")).containsExactlyInAnyOrder("ingest-service", "session-service");
        assertThat(TopicAccess.SESSION.writes()).noneMatch(topic -> topic.name().equals("inbound-messages"));
        assertThat(TopicAccess.INGEST.writes()).anyMatch(topic -> topic.name().equals("inbound-messages"));
        // Sessions and the window: session-service alone (dispatch trusts them to choose the channel)
        assertThat(writers(users, "conversation-sessions")).containsExactly("session-service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void shouldConnectEachServiceOverTlsAsItsOwnUser(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, String> common = stringMap(map(KustomizeRenderTest.byKindPrefix(objects, "ConfigMap")
                .get("answerline-common").get("data")));
        assertThat(common).containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("SPRING_KAFKA_SSL_TRUSTSTORELOCATION", "file:/etc/answerline-kafka-ca/ca.p12");
        assertThat(common.get("SPRING_KAFKA_BOOTSTRAPSERVERS")).endsWith(":9093");
        for (TopicAccess access : TopicAccess.ALL) {
            Map<String, Object> workload = KustomizeRenderTest.workloads(objects).stream()
                    .filter(w -> name(w).equals(access.service())).findFirst().orElseThrow();
            Map<String, Object> container = list(podSpec(workload).get("containers")).get(0);
            Map<String, Map<String, Object>> env = list(container.get("env")).stream()
                    .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e));
            assertThat(map(map(env.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG").get("valueFrom")).get("secretKeyRef")))
                    .as(access.service() + " logs in as its own KafkaUser (the User Operator's Secret)")
                    .containsEntry("name", access.service()).containsEntry("key", "sasl.jaas.config");
            assertThat(map(map(env.get("SPRING_KAFKA_SSL_TRUSTSTOREPASSWORD").get("valueFrom")).get("secretKeyRef")))
                    .containsEntry("name", "answerline-cluster-ca-cert");
            assertThat(list(podSpec(workload).get("volumes"))).as(access.service() + " mounts the cluster CA")
                    .anySatisfy(volume -> assertThat(map(volume.get("secret"))).containsEntry("secretName", "answerline-cluster-ca-cert"));
        }
    }

    /** The application ids the ACLs are written for are the ones the services run with, in every overlay. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void shouldRunTheStreamsAppsUnderTheDeclaredApplicationIds(String overlay) {
        for (TopicAccess access : TopicAccess.ALL) {
            String key = access.service().replace("-service", "");
            assertThat(path(applicationConfig(access.service()), "answerline", key, "streams", "application-id"))
                    .as(access.service() + " application.yml").isEqualTo(access.applicationId());
        }
        for (Map<String, Object> configMap : byKind(render(overlay), "ConfigMap").values()) {
            assertThat(stringMap(configMap.get("data")).keySet()).as(name(configMap))
                    .noneMatch(variable -> variable.endsWith("_STREAMS_APPLICATIONID") || variable.endsWith("_GROUPID"));
        }
    }

    @Test
    void shouldOfferKafkaOnlyOverTlsWithScramAndEnforceTheAcls() {
        List<Map<String, Object>> objects = renderFolder("kafka");
        Map<String, Object> kafka = byKind(objects, "Kafka").get("answerline");
        assertThat(kafka).as("deploy/k8s/kafka: Kafka answerline").isNotNull();
        Map<String, Object> spec = map(kafka.get("spec"));
        List<Map<String, Object>> listeners = list(map(spec.get("kafka")).get("listeners"));
        assertThat(listeners).as("listeners").isNotEmpty().allSatisfy(listener -> {
            assertThat(listener).as("listener " + listener.get("name")).containsEntry("tls", true);
            assertThat(map(listener.get("authentication"))).as("listener " + listener.get("name"))
                    .containsEntry("type", "scram-sha-512");
        });
        assertThat(map(map(spec.get("kafka")).get("authorization"))).containsEntry("type", "simple");
        assertThat(map(map(spec.get("kafka")).get("config"))).doesNotContainKey("allow.everyone.if.no.acl.found");
        Map<String, Object> entityOperator = map(spec.get("entityOperator"));
        assertThat(map(entityOperator.get("userOperator"))).containsEntry("watchedNamespace", "answerline");
        assertThat(map(entityOperator.get("topicOperator"))).containsEntry("watchedNamespace", "answerline");
    }

    private static List<String> writers(Map<String, Map<String, Object>> users, String topic) {
        return users.entrySet().stream()
                .filter(user -> rendered(user.getValue()).stream().anyMatch(acl -> acl.type().equals("topic")
                        && acl.operation().equals("Write")
                        && (acl.patternType().equals("prefix") ? topic.startsWith(acl.name()) : acl.name().equals(topic))))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private static Set<Acl> difference(Set<Acl> a, Set<Acl> b) {
        Set<Acl> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }
}
