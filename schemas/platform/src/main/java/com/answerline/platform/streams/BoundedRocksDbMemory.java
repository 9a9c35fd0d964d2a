package com.answerline.platform.streams;

import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the off-heap memory of every RocksDB store of the JVM at one budget: one block cache shared by all stores,
 * with their memtables charged to it. Kafka Streams' default gives each store instance (one per partition) a
 * 50 MB block cache and three 16 MB memtables of its own, so a service's native memory grows with its partitions
 * and stores, outside the heap limit; this is the setter Kafka Streams' memory-management guide describes
 * ({@code BoundedMemoryRocksDBConfig}). The budget is {@value #TOTAL_BYTES} in the Streams configuration
 * (default {@link #DEFAULT_TOTAL_BYTES}); the first store opened in the JVM fixes it.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Streams configuration key of the budget, in bytes. */
    public static final String TOTAL_BYTES = "answerline.rocksdb.total.bytes";

    /** 64 MiB: block cache and memtables of every store of the service together. */
    public static final long DEFAULT_TOTAL_BYTES = 64L * 1024 * 1024;

    /** A memtable; two per store at most, and all of them together at most half the budget. */
    private static final long MEMTABLE_BYTES = 8L * 1024 * 1024;

    /** Share of the cache kept for index and filter blocks (high priority). */
    private static final double INDEX_FILTER_RATIO = 0.1;

    private static Shared shared;

    /** The setter in a Streams configuration; a budget already there ({@value #TOTAL_BYTES}) is kept. */
    public static Map<String, Object> configure(Map<String, Object> streamsConfig) {
        streamsConfig.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        streamsConfig.putIfAbsent(TOTAL_BYTES, DEFAULT_TOTAL_BYTES);
        return streamsConfig;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared memory = shared(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBuffers());
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store of the JVM: never closed here.
    }

    private static synchronized Shared shared(Map<String, Object> configs) {
        if (shared == null) {
            Object configured = configs.get(TOTAL_BYTES);
            long total = configured == null ? DEFAULT_TOTAL_BYTES : Long.parseLong(configured.toString());
            Cache cache = new LRUCache(total, -1, false, INDEX_FILTER_RATIO);
            shared = new Shared(cache, new WriteBufferManager(total / 2, cache));
        }
        return shared;
    }

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
    }
}
