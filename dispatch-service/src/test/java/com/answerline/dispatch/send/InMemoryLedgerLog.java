package com.answerline.dispatch.send;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import com.answerline.avro.SendLedgerEntry;

/** A ledger log in memory for unit tests: partitions of appended entries, what was appended in order, an outage. */
final class InMemoryLedgerLog implements SendLedger.Log {

    record Appended(int partition, String key, SendLedgerEntry entry) {
    }

    final Map<Integer, List<Appended>> partitions = new HashMap<>();
    final List<Appended> appended = new ArrayList<>();
    int replays;
    /** Calls of {@link #replayAll}, each of which replays its partitions one by one ({@link #replays}). */
    final List<Map<Integer, Long>> replayAlls = new ArrayList<>();
    /** The number (1-based) of the one append that fails as a broker outage would; 0 = none. */
    int failingAppend;
    private int appends;

    @Override
    public void append(int partition, String key, SendLedgerEntry entry) {
        if (++appends == failingAppend) {
            throw new IllegalStateException("broker gone");
        }
        Appended record = new Appended(partition, key, entry);
        partitions.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
        appended.add(record);
    }

    @Override
    public long replay(int partition, long from, BiConsumer<String, SendLedgerEntry> sink) {
        replays++;
        List<Appended> log = partitions.getOrDefault(partition, List.of());
        for (int offset = (int) from; offset < log.size(); offset++) {
            sink.accept(log.get(offset).key(), log.get(offset).entry());
        }
        return log.size();
    }

    @Override
    public Map<Integer, Long> replayAll(Map<Integer, Long> from, SendLedger.PartitionSink sink) {
        replayAlls.add(Map.copyOf(from));
        return SendLedger.Log.super.replayAll(from, sink);
    }
}
