package com.answerline.bench.load;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** A latency distribution in microseconds (HdrHistogram, 3 significant digits, up to 10 minutes). */
public final class Latencies {

    private final Histogram histogram = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos / 1_000, histogram.getHighestTrackableValue())));
    }

    public void recordMillis(long millis) {
        recordNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The percentile in milliseconds (0 when nothing was recorded). */
    public double percentileMillis(double percentile) {
        return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    public double maxMillis() {
        return count() == 0 ? 0 : histogram.getMaxValue() / 1_000.0;
    }

    public double meanMillis() {
        return count() == 0 ? 0 : histogram.getMean() / 1_000.0;
    }
}
