package org.opforge.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Attribute;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.io.IoErrors;

/** Opening HDF5 files with precise errors for the usual ways a file is bad. */
final class Hdf5Files {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Hdf5Files() {}

    /** An open file: jhdf's view, our own channel for mapping, and where HDF5 data begins. */
    record Opened(HdfFile hdf, FileChannel channel, long userBlock, long size) implements AutoCloseable {
        @Override public void close() {
            try {
                hdf.close();
            } finally {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a read-only channel has nothing to flush
                }
            }
        }
    }

    /**
     * Opens {@code file} after checking that it exists, carries the HDF5 signature, and is as long as
     * its superblock says (a shorter file was cut off while being copied or written).
     */
    static Opened open(Path file) {
        // before opening: a FIFO or a device would block or never end
        String unreadable = IoErrors.unreadable(file);
        if (unreadable != null) throw new DataFormatException(file, null, "an HDF5 file", unreadable);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new DataFormatException(file, null, "a readable HDF5 file", "it cannot be opened: " + IoErrors.cause(e), e);
        }
        try {
            long size = ch.size();
            long sig = findSignature(ch, size);
            if (sig < 0) {
                throw new DataFormatException(file, null,
                        "an HDF5 file (signature \\x89HDF\\r\\n\\x1a\\n at byte 0, 512, 1024, ...)",
                        size == 0 ? "an empty file" : "a file of " + size + " bytes starting with " + head(ch));
            }
            Superblock sb;
            try {
                sb = Superblock.readSuperblock(ch, sig);
            } catch (RuntimeException e) {
                throw new DataFormatException(file, null, "a readable HDF5 superblock at byte " + sig,
                        "a damaged or truncated one (" + e.getMessage() + ")", e);
            }
            // The HDF5 library records the end of file counting any user block (measured on h5py
            // files with 512- and 1024-byte user blocks), so it is compared with the size directly.
            long end = sb.getEndOfFileAddress();
            if (end > size) {
                throw new DataFormatException(file, null, end + " bytes (the end-of-file address in the superblock)",
                        size + " bytes: the file is truncated");
            }
            HdfFile hdf;
            try {
                hdf = new HdfFile(file);
            } catch (HdfException e) {
                throw new DataFormatException(file, null, "a readable HDF5 file", "jhdf error: " + e.getMessage(), e);
            }
            return new Opened(hdf, ch, hdf.getUserBlockSize(), size);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DataFormatException(file, null, "a readable HDF5 file", "an I/O error: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** HDF5 puts the signature at 0 or, after a user block, at 512, 1024, 2048, ... */
    private static long findSignature(FileChannel ch, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8);
        for (long off = 0; off + 8 <= size; off = off == 0 ? 512 : off * 2) {
            b.clear();
            int n = ch.read(b, off);
            if (n == 8 && java.util.Arrays.equals(b.array(), SIGNATURE)) return off;
        }
        return -1;
    }

    private static String head(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16);
        ch.read(b, 0);
        StringBuilder text = new StringBuilder();
        boolean printable = true;
        for (int i = 0; i < b.position(); i++) {
            int c = b.get(i) & 0xff;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c > 0x7e) printable = false;
        }
        if (printable) {
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).replace("\n", "\\n").replace("\r", "\\r");
            return "the text \"" + s + "\"";
        }
        for (int i = 0; i < b.position(); i++) text.append(String.format("%02x", b.get(i) & 0xff)).append(i % 2 == 1 ? " " : "");
        return "the bytes " + text.toString().trim();
    }

    /**
     * Attribute values as plain Java values: String, Long, Double, long[], double[] or String[]
     * (multi-dimensional arrays flattened); jhdf's own {@code _jHDF} stamp is left out.
     */
    static Map<String, Object> attributes(Map<String, Attribute> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Attribute> e : new java.util.TreeMap<>(raw).entrySet()) {
            if (e.getKey().equals("_jHDF")) continue;
            Object v;
            try {
                v = normalize(e.getValue().getData());
            } catch (RuntimeException ex) {
                v = "<unreadable attribute: " + ex.getMessage() + ">";
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    static Object normalize(Object v) {
        if (v == null) return "";
        if (v instanceof String || v instanceof Long || v instanceof Double) return v;
        if (v instanceof Float f) return (double) f;
        if (v instanceof Number n) return n.longValue();
        if (v instanceof Boolean b) return b ? 1L : 0L;
        if (v.getClass().isArray()) {
            java.util.List<Object> flat = new java.util.ArrayList<>();
            flattenInto(v, flat);
            boolean allString = flat.stream().allMatch(x -> x instanceof String);
            boolean allInt = flat.stream().allMatch(x -> x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte);
            if (allString) return flat.toArray(new String[0]);
            if (allInt) return flat.stream().mapToLong(x -> ((Number) x).longValue()).toArray();
            if (flat.stream().allMatch(x -> x instanceof Number)) return flat.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
            return flat.toString();
        }
        return v.toString();
    }

    private static void flattenInto(Object a, java.util.List<Object> out) {
        int n = Array.getLength(a);
        for (int i = 0; i < n; i++) {
            Object x = Array.get(a, i);
            if (x != null && x.getClass().isArray()) flattenInto(x, out);
            else out.add(x);
        }
    }

    /** An attribute value as text (arrays as [a, b, ...]). */
    static String text(Object v) {
        if (v instanceof long[] a) return java.util.Arrays.toString(a);
        if (v instanceof double[] a) return java.util.Arrays.toString(a);
        if (v instanceof String[] a) return java.util.Arrays.toString(a);
        return String.valueOf(v);
    }
}
