package com.answerline.bench.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.answerline.bench.stack.Stack;
import com.answerline.bench.stage.Harness;

/**
 * Watches the stack while a scenario's fault is injected, for {@link FaultProof}: every component's pid before and
 * after, every 100 ms during the fault whether each component runs and whether the broker's and the registry's ports
 * accept connections, and dispatch's count of failed provider requests before and after.
 */
final class FaultProbe implements AutoCloseable {

    static final List<String> COMPONENTS = List.of("kafka", "registry", "ingest-service", "session-service",
            "dispatch-service", "provider-sandbox", "session-service-2", "dispatch-service-2");
    private static final String PROVIDER_ERRORS = "answerline_dispatch_provider_errors_total{";

    private final Stack stack;
    private final Harness harness;
    private final Map<String, Long> pidsBefore;
    private final Map<String, Double> errorsBefore;
    private final Map<String, AtomicInteger> down = new ConcurrentHashMap<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread sampler;
    private volatile boolean running = true;

    private FaultProbe(Stack stack, Harness harness) {
        this.stack = stack;
        this.harness = harness;
        this.pidsBefore = pids(stack);
        this.errorsBefore = providerErrors(harness);
        COMPONENTS.forEach(c -> down.put(c, new AtomicInteger()));
        Map<String, InetSocketAddress> ports = Map.of(
                "kafka", address("tcp://" + harness.endpoints().kafka()),
                "registry", address(harness.endpoints().registry()));
        this.sampler = new Thread(() -> {
            while (running) {
                for (String component : COMPONENTS) {
                    InetSocketAddress port = ports.get(component);
                    if (stack.pid(component).isEmpty() || port != null && !accepts(port)) {
                        down.get(component).incrementAndGet();
                    }
                }
                samples.incrementAndGet();
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }, "fault-probe");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts watching: call right before the fault is injected. */
    static FaultProbe start(Stack stack, Harness harness) {
        return new FaultProbe(stack, harness);
    }

    /** Stops watching (call once the stack is repaired) and judges the evidence for {@code scenario}. */
    FaultProof proof(String scenario) {
        close();
        Map<String, Long> pidsAfter = pids(stack);
        Set<String> stillAlive = new HashSet<>();
        pidsBefore.forEach((component, pid) -> {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                stillAlive.add(component);
            }
        });
        Map<String, Double> errorsAfter = providerErrors(harness);
        Map<String, Double> failed = new LinkedHashMap<>();
        for (String provider : List.of("whatsapp", "sms")) {
            Double before = errorsBefore.get(provider);
            Double after = errorsAfter.get(provider);
            failed.put(provider, before == null || after == null ? -1.0 : after - before);
        }
        Map<String, Integer> downSamples = new HashMap<>();
        down.forEach((component, count) -> downSamples.put(component, count.get()));
        return FaultProof.judge(scenario, new FaultProof.Observation(pidsBefore, pidsAfter, stillAlive, downSamples,
                samples.get(), failed));
    }

    @Override
    public void close() {
        running = false;
        try {
            sampler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Long> pids(Stack stack) {
        Map<String, Long> pids = new HashMap<>();
        for (String component : COMPONENTS) {
            OptionalLong pid = stack.pid(component);
            pid.ifPresent(p -> pids.put(component, p));
        }
        return pids;
    }

    /** Failed provider requests so far, per provider, from dispatch's scrape; empty when it cannot be read. */
    static Map<String, Double> providerErrors(Harness harness) {
        try {
            var answer = harness.json().getText(harness.endpoints().dispatchManagement() + "/actuator/prometheus");
            return answer.status() == 200 ? providerErrors(answer.body()) : Map.of();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * Sums {@code answerline_dispatch_provider_errors_total} per provider label of a Prometheus scrape; a provider
     * without a series has had no failed request (0).
     */
    static Map<String, Double> providerErrors(String scrape) {
        Map<String, Double> sums = new HashMap<>(Map.of("whatsapp", 0.0, "sms", 0.0));
        if (scrape == null) {
            return sums;
        }
        scrape.lines().filter(line -> line.startsWith(PROVIDER_ERRORS)).forEach(line -> {
            int at = line.indexOf("provider=\"");
            int close = line.lastIndexOf('}');
            if (at < 0 || close < 0) {
                return;
            }
            String provider = line.substring(at + 10, line.indexOf('"', at + 10));
            try {
                sums.merge(provider, Double.parseDouble(line.substring(close + 1).trim().split("\\s")[0]), Double::sum);
            } catch (NumberFormatException e) {
                // not a sample line
            }
        });
        return sums;
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetSocketAddress address(String url) {
        URI uri = URI.create(url);
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }
}
