package com.answerline.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {

    @Test
    void shouldPutTheSetterAndKeepABudgetAlreadyConfigured() {
        Map<String, Object> defaults = BoundedRocksDbMemory.configure(new HashMap<>());
        assertThat(defaults).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class)
                .containsEntry(BoundedRocksDbMemory.TOTAL_BYTES, BoundedRocksDbMemory.DEFAULT_TOTAL_BYTES);

        Map<String, Object> configured = new HashMap<>(Map.of(BoundedRocksDbMemory.TOTAL_BYTES, "33554432"));
        assertThat(BoundedRocksDbMemory.configure(configured)).containsEntry(BoundedRocksDbMemory.TOTAL_BYTES, "33554432");
    }

    @Test
    void shouldGiveEveryStoreSmallMemtablesChargedToTheSharedCache() {
        RocksDB.loadLibrary();
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        try (Options first = new Options(); Options second = new Options()) {
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());

            setter.setConfig("sessions", first, Map.of());
            setter.setConfig("pending", second, Map.of());

            for (Options options : new Options[] {first, second}) {
                assertThat(options.writeBufferSize()).isEqualTo(8L * 1024 * 1024);
                assertThat(options.maxWriteBufferNumber()).isEqualTo(2);
                BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
                assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
                assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            }
            setter.close("sessions", first);
            setter.close("pending", second);
        }
    }
}
