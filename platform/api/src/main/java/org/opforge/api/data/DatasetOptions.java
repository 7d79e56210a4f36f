package org.opforge.api.data;

/**
 * How a data set file is opened.
 *
 * @param layout           layout name to force (one of {@link DatasetSource#layouts()}), or null to detect it
 * @param nonFinite        what reads do with NaN / Inf
 * @param chunkCacheBytes  bound on the decompressed chunks kept for chunked (compressed) fields; reads of
 *                         contiguous fields keep nothing on the Java heap
 */
public record DatasetOptions(String layout, NonFinitePolicy nonFinite, long chunkCacheBytes) {
    public static final long DEFAULT_CHUNK_CACHE_BYTES = 16L << 20;

    public DatasetOptions {
        if (nonFinite == null) throw new IllegalArgumentException("nonFinite policy must not be null");
        if (chunkCacheBytes < 0) throw new IllegalArgumentException("chunkCacheBytes must be >= 0, got " + chunkCacheBytes);
    }

    /** Layout detected, non-finite values rejected, 16 MiB chunk cache. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(null, NonFinitePolicy.REJECT, DEFAULT_CHUNK_CACHE_BYTES);
    }

    public DatasetOptions withLayout(String forcedLayout) {
        return new DatasetOptions(forcedLayout, nonFinite, chunkCacheBytes);
    }

    public DatasetOptions withNonFinite(NonFinitePolicy policy) {
        return new DatasetOptions(layout, policy, chunkCacheBytes);
    }

    public DatasetOptions withChunkCacheBytes(long bytes) {
        return new DatasetOptions(layout, nonFinite, bytes);
    }
}
