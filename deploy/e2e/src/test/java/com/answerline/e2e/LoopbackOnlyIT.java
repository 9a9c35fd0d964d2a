package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Nothing of the local stack may be reachable from outside the machine. */
@ExtendWith(LocalStackExtension.class)
class LoopbackOnlyIT {

    private static final Pattern LISTENER = Pattern.compile("^LISTEN\\s+\\S+\\s+\\S+\\s+(\\S+):(\\d+)\\s+.*pid=(\\d+),");

    record Listener(String address, int port, long pid) {
    }

    @Test
    void shouldListenOnLoopbackOnlyWithEveryProcessOfTheStack() throws Exception {
        // Given the running stack's processes
        List<Long> pids = LocalStackExtension.pids();
        // Kafka, the registry, three services, the sandbox; and Prometheus (the e2e run requires it: MonitoringLiveIT)
        assertThat(pids).as("pid files of the stack").hasSize(7);

        // When listing every TCP listener of those processes
        List<Listener> listeners = listeners().stream().filter(l -> pids.contains(l.pid())).toList();

        // Then each one is bound to 127.0.0.1 (or its IPv4-mapped IPv6 form), and the documented ports are among them
        assertThat(listeners).isNotEmpty();
        assertThat(listeners).allSatisfy(listener -> assertThat(listener.address())
                .as("listener %s", listener)
                .isIn("127.0.0.1", "[::ffff:127.0.0.1]"));
        assertThat(listeners).extracting(Listener::port)
                .contains(StackHttp.port("ANSWERLINE_KAFKA_PORT", 9092), StackHttp.port("ANSWERLINE_KAFKA_CONTROLLER_PORT", 9093),
                        StackHttp.port("ANSWERLINE_REGISTRY_PORT", 8085), StackHttp.port("ANSWERLINE_INGEST_PORT", 8081),
                        StackHttp.port("ANSWERLINE_INGEST_WEBHOOK_PORT", 8084),
                        StackHttp.port("ANSWERLINE_INGEST_MANAGEMENT_PORT", 9081), StackHttp.port("ANSWERLINE_SESSION_PORT", 8082),
                        StackHttp.port("ANSWERLINE_SESSION_MANAGEMENT_PORT", 9082),
                        StackHttp.port("ANSWERLINE_DISPATCH_PORT", 8083),
                        StackHttp.port("ANSWERLINE_DISPATCH_MANAGEMENT_PORT", 9083), StackHttp.port("ANSWERLINE_SANDBOX_PORT", 8089),
                        StackHttp.port("ANSWERLINE_PROMETHEUS_PORT", 9090));
    }

    private static List<Listener> listeners() throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-Htlnp").redirectErrorStream(true).start();
        String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ss.exitValue()).as("ss -Htlnp: %s", output).isZero();
        return output.lines()
                .map(LISTENER::matcher)
                .filter(Matcher::find)
                .map(m -> new Listener(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))))
                .toList();
    }
}
