package com.answerline.bench.faults;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a killed instance's partitions went unserved, against the bound of issue 18: with a second instance the
 * survivor serves them within {@link #SURVIVOR_BOUND}; with one instance, restarted as a supervisor would, it serves
 * again within its start time plus {@link #RESTART_MARGIN}.
 *
 * @param instance   the killed instance (e.g. {@code session-service-2})
 * @param time       kill to every watched partition served again ({@link TakeoverClock}); empty when that never
 *                   happened within the probe's wait, or nothing had traffic
 * @param catchUp    kill to every watched partition caught up with what was written until the kill (a restart's
 *                   backlog included); empty when not within the probe's wait. Reported, not bounded
 * @param startTime  the restart's start time ({@code deploy/local/stack start} until healthy); empty with a survivor
 * @param bound      the most {@code time} may be
 * @param orphaned   partitions the killed instance owned just before the kill (its members' assignments), -1 unknown
 * @param detail     what was watched, and what was still waiting when the probe gave up
 */
record Takeover(String instance, Optional<Duration> time, Optional<Duration> catchUp, Optional<Duration> startTime,
                Duration bound, int orphaned, String detail) {

    static final Duration SURVIVOR_BOUND = Duration.ofSeconds(10);
    static final Duration RESTART_MARGIN = Duration.ofSeconds(5);

    /** The bound: 10 s with a survivor, start time plus 5 s without. */
    static Duration bound(Optional<Duration> startTime) {
        return startTime.map(start -> start.plus(RESTART_MARGIN)).orElse(SURVIVOR_BOUND);
    }

    /**
     * Within its bound, and the kill proved something: the killed instance owned partitions (a survivor that was
     * handed nothing took nothing over).
     */
    boolean passed() {
        return time.isPresent() && time.get().compareTo(bound) <= 0 && orphaned != 0;
    }

    /** For the table: "7.2 s (bound 10 s)", or why there is no figure. */
    String describe() {
        String measured = time.map(t -> seconds(t) + " s").orElse("not served within the wait");
        String start = startTime.map(s -> ", start " + seconds(s) + " s").orElse("");
        String owned = orphaned == 0 ? ", the killed instance owned no partition" : "";
        String caughtUp = time.isEmpty() ? "" : catchUp.map(c -> ", caught up after " + seconds(c) + " s")
                .orElse(", not caught up within the wait");
        return measured + " (bound " + seconds(bound) + " s" + start + owned + ")" + caughtUp;
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }
}
