package com.answerline.bench.faults;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.TopicPartition;

import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stage.Harness;

/**
 * Which of two instances a kill-one-of-two scenario kills: the one whose Kafka Streams app owns more of the
 * service's input partitions just before the kill. Kafka Streams hands a newly started instance its standby copies
 * first and active tasks only once it has caught up (its warm-up, then a probing rebalance minutes later), so the
 * instance started for the scenario often serves nothing yet; killing it would prove no takeover (the probe would
 * report "owned no partition"). Which member is which instance: each instance's Prometheus scrape names its Streams
 * clients ({@code client_id="<app>-<process uuid>-StreamThread-1-consumer"}), and a group member's id starts with its
 * client id.
 */
final class Victim {

    private static final Pattern STREAM_THREAD_CLIENT = Pattern.compile("client_id=\"([^\"]+-StreamThread-\\d+-consumer)\"");

    private Victim() {
    }

    /**
     * The kill to carry out: {@code planned} (the second instance), or the first instance with the second as its
     * survivor when the first owns more partitions of the service's Streams group; {@code planned} when ownership
     * cannot be read.
     */
    static Scenario.Kill choose(Harness harness, Scenario.Kill planned) {
        String service = planned.survivor();
        String group = TakeoverProbe.watches(service).get(0).group();
        try {
            Ownership owns = ownership(harness, planned);
            harness.progress("faults: " + group + " partitions owned before the kill: " + owns);
            return owns.first() > owns.second() ? new Scenario.Kill(service, planned.instance()) : planned;
        } catch (RuntimeException e) {
            harness.progress("faults: could not read who owns " + group + " (" + e + "); killing " + planned.instance());
            return planned;
        }
    }

    /**
     * Waits until both instances own partitions of the service's Streams group, at most {@code wait}: the second instance
     * started for the scenario holds standby copies first and gets active tasks at the probing rebalance after its
     * copies caught up (a minute, {@code answerline.kafka.membership.probing-rebalance-interval}). Killing before that
     * would time a survivor whose copies are still restoring, not the steady state of two instances.
     *
     * @return true when both own partitions
     */
    static boolean awaitShared(Harness harness, Scenario.Kill planned, java.time.Duration wait) {
        String group = TakeoverProbe.watches(planned.survivor()).get(0).group();
        long deadline = System.nanoTime() + wait.toNanos();
        String last = "ownership not read";
        while (System.nanoTime() < deadline) {
            try {
                Ownership owns = ownership(harness, planned);
                last = owns.toString();
                if (owns.first() > 0 && owns.second() > 0) {
                    harness.progress("faults: " + group + " shared: " + last);
                    return true;
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofSeconds(1).toNanos());
        }
        harness.progress("faults: " + group + " not shared within " + wait.toSeconds() + " s (" + last
                + "); the survivor may hold standby copies only");
        return false;
    }

    /** How many partitions of the service's Streams group each of the two instances owns. */
    record Ownership(String firstInstance, int first, String secondInstance, int second) {
        @Override
        public String toString() {
            return firstInstance + " " + first + ", " + secondInstance + " " + second;
        }
    }

    /** Reads who owns what: the group's members, each matched to its instance by the clients its scrape names. */
    private static Ownership ownership(Harness harness, Scenario.Kill planned) {
        String service = planned.survivor();
        Map<String, Set<TopicPartition>> members = harness.kafka().members(TakeoverProbe.watches(service).get(0).group());
        return new Ownership(service, owned(members, scrape(harness, managementOf(harness.endpoints(), service))),
                planned.instance(), owned(members, scrape(harness, managementOf(harness.endpoints(), planned.instance()))));
    }

    /** Partitions assigned to the members whose ids start with one of {@code clientIds}. */
    static int owned(Map<String, Set<TopicPartition>> members, Set<String> clientIds) {
        return members.entrySet().stream()
                .filter(member -> clientIds.stream().anyMatch(id -> member.getKey().startsWith(id)))
                .mapToInt(member -> member.getValue().size())
                .sum();
    }

    /** The Streams consumers' client ids a Prometheus scrape names. */
    static Set<String> streamThreadClients(String scrape) {
        Set<String> ids = new java.util.HashSet<>();
        Matcher matcher = STREAM_THREAD_CLIENT.matcher(scrape);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static Set<String> scrape(Harness harness, String management) {
        return streamThreadClients(harness.json().getText(management + "/actuator/prometheus").body());
    }

    /** An instance's management URL: the endpoints' for the first, the stack's defaults (or overrides) for the second. */
    static String managementOf(Endpoints endpoints, String instance) {
        Map<String, String> env = System.getenv();
        return switch (instance) {
            case "session-service" -> endpoints.sessionManagement();
            case "dispatch-service" -> endpoints.dispatchManagement();
            case "session-service-2" -> "http://" + Endpoints.HOST + ":"
                    + env.getOrDefault("ANSWERLINE_SESSION2_MANAGEMENT_PORT", "9182");
            case "dispatch-service-2" -> "http://" + Endpoints.HOST + ":"
                    + env.getOrDefault("ANSWERLINE_DISPATCH2_MANAGEMENT_PORT", "9183");
            default -> throw new IllegalArgumentException("no management port known for " + instance);
        };
    }
}
