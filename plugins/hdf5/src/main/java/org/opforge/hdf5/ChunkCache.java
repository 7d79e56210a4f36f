package org.opforge.hdf5;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Least-recently-used decompressed chunks, bounded by their total size in bytes. Shuffled reads of
 * a chunked field touch chunks in random order; keeping the recent ones avoids decompressing a
 * chunk once per sample when chunks span several samples.
 */
final class ChunkCache {
    private final long capacity;
    private final LinkedHashMap<Key, Entry> map = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    ChunkCache(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    record Key(Object array, List<Integer> offset) {}

    record Entry(ElementType.View view, int bytes) {}

    synchronized Entry get(Key k) {
        return map.get(k);
    }

    synchronized void put(Key k, Entry e) {
        if (e.bytes() > capacity) return;
        Entry old = map.put(k, e);
        if (old != null) bytes -= old.bytes();
        bytes += e.bytes();
        Iterator<Map.Entry<Key, Entry>> it = map.entrySet().iterator();
        while (bytes > capacity && it.hasNext()) {
            Map.Entry<Key, Entry> oldest = it.next();
            if (oldest.getKey().equals(k)) continue;
            bytes -= oldest.getValue().bytes();
            it.remove();
        }
    }

    synchronized void clear() {
        map.clear();
        bytes = 0;
    }
}
