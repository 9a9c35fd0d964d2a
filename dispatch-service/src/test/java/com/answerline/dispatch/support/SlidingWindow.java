package com.answerline.dispatch.support;

import java.util.List;

/** How many events a one-second window holds at most: the throughput checks of the rate-limit tests. */
public final class SlidingWindow {

    private SlidingWindow() {
    }

    /** The most timestamps (nanos) in any half-open window [t, t + 1 s) starting at one of them. */
    public static int maxInAnySecond(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int max = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end) - sorted.get(start) < 1_000_000_000L) {
                end++;
            }
            max = Math.max(max, end - start);
        }
        return max;
    }
}
