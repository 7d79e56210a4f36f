package org.opforge.hdf5;

import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.opforge.api.data.DataFormatException;
import org.opforge.tensor.DType;

/**
 * The numeric element types a field may be stored as, and their decoding into float32 / float64.
 * Half floats and integers up to 16 bits become float32 (exact); float64 and 32 / 64-bit integers
 * become float64 (exact up to 2^53).
 */
enum ElementType {
    F16(2, "float16"), F32(4, "float32"), F64(8, "float64"),
    I8(1, "int8"), U8(1, "uint8"), I16(2, "int16"), U16(2, "uint16"),
    I32(4, "int32"), U32(4, "uint32"), I64(8, "int64"), U64(8, "uint64");

    final int size;
    final String label;

    ElementType(int size, String label) {
        this.size = size;
        this.label = label;
    }

    DType dtype() {
        return switch (this) {
            case F64, I32, U32, I64, U64 -> DType.FLOAT64;
            default -> DType.FLOAT32;
        };
    }

    /** The element type of an HDF5 datatype, or an error naming the file and key. */
    static ElementType of(DataType t, Path file, String key) {
        if (t instanceof FloatingPoint fp) {
            switch (fp.getSize()) {
                case 2: return F16;
                case 4: return F32;
                case 8: return F64;
                default: break;
            }
        } else if (t instanceof FixedPoint fx) {
            boolean s = fx.isSigned();
            switch (fx.getSize()) {
                case 1: return s ? I8 : U8;
                case 2: return s ? I16 : U16;
                case 4: return s ? I32 : U32;
                case 8: return s ? I64 : U64;
                default: break;
            }
        }
        throw new DataFormatException(file, key, "a numeric dataset (float16/32/64 or integer)",
                "HDF5 type " + describe(t));
    }

    static ByteOrder order(DataType t) {
        if (t instanceof FloatingPoint fp) return fp.getByteOrder();
        if (t instanceof FixedPoint fx) return fx.getByteOrder();
        return ByteOrder.LITTLE_ENDIAN;
    }

    static String describe(DataType t) {
        String n = t.getClass().getSimpleName();
        return switch (n) {
            case "StringData" -> "string";
            case "EnumDataType" -> "enum (a numpy bool is stored as one)";
            case "CompoundDataType" -> "compound (a numpy complex or record array is stored as one)";
            case "VariableLength" -> "variable-length";
            case "Reference" -> "object reference";
            default -> n + " of " + t.getSize() + " bytes";
        };
    }

    /**
     * A typed, thread-safe view of a buffer of these elements: element {@code i} of the view is at
     * byte {@code i * size} from the buffer's position.
     */
    View view(ByteBuffer buffer, ByteOrder order) {
        ByteBuffer b = buffer.duplicate().order(order);
        return switch (this) {
            case F32 -> new F32View(b.asFloatBuffer());
            case F64 -> new F64View(b.asDoubleBuffer());
            case F16 -> new ShortView(b.asShortBuffer(), this);
            case I16, U16 -> new ShortView(b.asShortBuffer(), this);
            case I32, U32 -> new IntView(b.asIntBuffer(), this == U32);
            case I64, U64 -> new LongView(b.asLongBuffer(), this == U64);
            case I8, U8 -> new ByteView(b.slice(), this == U8);
        };
    }

    /** Copies elements out of a stored buffer into a {@link Sink}. */
    interface View {
        void copy(long index, int len, Sink dst, int off);
    }

    private record F32View(FloatBuffer b) implements View {
        public void copy(long index, int len, Sink dst, int off) {
            int i = (int) index;
            if (dst.f != null) b.get(i, dst.f, off, len);
            else for (int k = 0; k < len; k++) dst.d[off + k] = b.get(i + k);
        }
    }

    private record F64View(DoubleBuffer b) implements View {
        public void copy(long index, int len, Sink dst, int off) {
            int i = (int) index;
            if (dst.d != null) b.get(i, dst.d, off, len);
            else for (int k = 0; k < len; k++) dst.f[off + k] = (float) b.get(i + k);
        }
    }

    private record ShortView(ShortBuffer b, ElementType t) implements View {
        public void copy(long index, int len, Sink dst, int off) {
            int i = (int) index;
            for (int k = 0; k < len; k++) {
                short s = b.get(i + k);
                double v = t == F16 ? FloatingPoint.toFloat(s) : t == U16 ? (s & 0xFFFF) : s;
                put(dst, off + k, v);
            }
        }
    }

    private record IntView(IntBuffer b, boolean unsigned) implements View {
        public void copy(long index, int len, Sink dst, int off) {
            int i = (int) index;
            for (int k = 0; k < len; k++) {
                int s = b.get(i + k);
                put(dst, off + k, unsigned ? (s & 0xFFFFFFFFL) : s);
            }
        }
    }

    private record LongView(LongBuffer b, boolean unsigned) implements View {
        public void copy(long index, int len, Sink dst, int off) {
            int i = (int) index;
            for (int k = 0; k < len; k++) {
                long s = b.get(i + k);
                double v = unsigned && s < 0 ? (double) (s >>> 1) * 2.0 + (s & 1) : (double) s;
                put(dst, off + k, v);
            }
        }
    }

    private record ByteView(ByteBuffer b, boolean unsigned) implements View {
        public void copy(long index, int len, Sink dst, int off) {
            int i = (int) index;
            for (int k = 0; k < len; k++) {
                byte s = b.get(i + k);
                put(dst, off + k, unsigned ? (s & 0xFF) : s);
            }
        }
    }

    private static void put(Sink dst, int i, double v) {
        if (dst.f != null) dst.f[i] = (float) v;
        else dst.d[i] = v;
    }
}
