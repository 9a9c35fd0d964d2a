package com.answerline.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one load run did: requests sent, answers by HTTP status, transport errors (refused, reset, timed out), the
 * latency distribution and the wall time from the first request to the last answer.
 *
 * @param offeredRate requests per second asked for (0 = as fast as the concurrency allows)
 * @param sent        requests the run made (including those never sent, below)
 * @param notSent     requests that waited for a free connection longer than the generator allows and were given up
 *                    before they left it: the offered load was above what the server answered, not a server error
 */
public record LoadResult(String name, int offeredRate, int concurrency, long sent, Map<Integer, Long> statuses,
                         long transportErrors, long notSent, List<String> errorSamples, Latencies latencies,
                         Duration elapsed) {

    public LoadResult {
        statuses = Map.copyOf(new TreeMap<>(statuses));
        errorSamples = List.copyOf(errorSamples);
    }

    /** Answers with a 2xx status. */
    public long accepted() {
        return statuses.entrySet().stream().filter(e -> e.getKey() >= 200 && e.getKey() < 300)
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Everything that was not a 2xx: other statuses and transport errors. */
    public long errors() {
        return sent - accepted();
    }

    public long status(int code) {
        return statuses.getOrDefault(code, 0L);
    }

    /** Accepted requests per second of wall time. */
    public double acceptedPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : accepted() / seconds;
    }
}
