package com.answerline.bench.faults;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import com.answerline.bench.stack.Stack;
import com.answerline.bench.stage.Harness;
import com.answerline.bench.traffic.Sandbox;

/**
 * One fault, injected into steady traffic: what is done to the stack and how it is undone. The suite runs the
 * traffic before, during and after it and then checks the data ({@link FaultChecks}). A crash ({@code kill}) also has
 * its takeover measured ({@link TakeoverProbe}) and held against its bound ({@link Takeover}).
 *
 * @param kill the crash of a service instance, or null for other faults
 */
record Scenario(String name, String description, Fault fault, Kill kill) {

    Scenario(String name, String description, Fault fault) {
        this(name, description, fault, null);
    }

    /**
     * kill -9 of one instance.
     *
     * @param instance the stack component killed ({@code session-service}, {@code session-service-2}, ...)
     * @param survivor the instance that takes over (runs before the traffic and on), or null: the killed one is
     *                 restarted as a supervisor would, and serves again
     */
    record Kill(String instance, String survivor) {

        /** The second instance must run before the traffic starts, so that it owns partitions when it is killed. */
        boolean needsSecondInstance() {
            return survivor != null;
        }
    }

    /** Does the harm and repairs it; returns when the stack is whole again. */
    @FunctionalInterface
    interface Fault {
        void inject(Stack stack, Harness harness);
    }

    static Scenario kill(String service) {
        return new Scenario("kill-" + service, "kill -9 " + service + ", then start it again",
                (stack, harness) -> {
                    stack.kill(service);
                    stack.start(service);
                }, new Kill(service, null));
    }

    /**
     * Two instances of the service; kill -9 of the second, not restarted: the first takes its partitions over (the
     * gateway's URLs name the first instance, as a load balancer would route around the dead one).
     */
    static Scenario killOneOfTwo(String service) {
        String second = service + "-2";
        return new Scenario("kill-" + service + "-of-two", "kill -9 " + second + " of two instances; " + service
                + " takes over", (stack, harness) -> stack.kill(second), new Kill(second, service));
    }

    static Scenario brokerRestart(Duration down) {
        return new Scenario("broker-restart", "stop the Kafka broker, " + down.toSeconds() + " s down, start it",
                (stack, harness) -> {
                    stack.stop("kafka");
                    pause(down);
                    stack.start("kafka");
                });
    }

    static Scenario registryDown(Duration down) {
        return new Scenario("registry-down", "stop the schema registry for " + down.toSeconds() + " s, then start it",
                (stack, harness) -> {
                    stack.stop("registry");
                    pause(down);
                    stack.start("registry");
                });
    }

    /** A WhatsApp fault mode of the sandbox (HTTP_500, TIMEOUT, HTTP_429, ...) for every call during {@code length}. */
    static Scenario whatsApp(String mode, Duration length) {
        return new Scenario("whatsapp-" + mode.toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                "the sandbox's WhatsApp answers " + mode + " to every send for " + length.toSeconds() + " s",
                (stack, harness) -> {
                    Sandbox sandbox = harness.sandbox();
                    sandbox.faults("{\"whatsapp\":{\"mode\":\"" + mode + "\"}}");
                    try {
                        pause(length);
                    } finally {
                        sandbox.clearFaults();
                    }
                    // Repaired means sending again: the breaker the fault opened has closed (it lets calls through
                    // half-open after its open-for, and closes once they succeed; the traffic provides them).
                    awaitBreakerClosed(harness, "whatsapp", Duration.ofSeconds(90));
                });
    }

    /**
     * Every scenario, in the order they run: the crashes first, the provider faults last (a provider fault opens
     * dispatch's circuit breaker, and a crash after it would start with the breaker still counting).
     *
     * @param outage how long an outage (broker, registry, provider fault) lasts
     */
    static List<Scenario> all(Duration outage) {
        return List.of(
                kill("ingest-service"),
                kill("session-service"),
                kill("dispatch-service"),
                killOneOfTwo("session-service"),
                killOneOfTwo("dispatch-service"),
                brokerRestart(outage),
                registryDown(outage),
                whatsApp("HTTP_500", outage),
                whatsApp("TIMEOUT", outage),
                whatsApp("HTTP_429", outage),
                whatsApp("LATE_ANSWER", outage));
    }

    /** Polls dispatch-service's circuit-breaker gauge until the provider's breaker is closed. */
    static void awaitBreakerClosed(Harness harness, String provider, Duration timeout) {
        String closed = "resilience4j_circuitbreaker_state{name=\"" + provider + "\",state=\"closed\"} 1.0";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String scrape = harness.json().getText(harness.endpoints().dispatchManagement() + "/actuator/prometheus").body();
            if (scrape.lines().anyMatch(line -> line.startsWith(closed))) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        throw new IllegalStateException("the " + provider + " circuit breaker did not close within " + timeout);
    }

    /** Waiting is the fault here (an outage of a known length), not a substitute for a condition. */
    private static void pause(Duration length) {
        LockSupport.parkNanos(length.toNanos());
    }
}
