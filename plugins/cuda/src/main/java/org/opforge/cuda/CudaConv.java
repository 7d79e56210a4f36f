package org.opforge.cuda;

import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.ConvGeometry;
import org.opforge.tensor.backend.ConvKernels;

/** {@link ConvKernels} on the device (conv.cu): one thread per produced element, atomics in the adjoints. */
final class CudaConv implements ConvKernels {
    private final CudaBackend be;

    CudaConv(CudaBackend backend) {
        this.be = backend;
    }

    private static CudaBuffer real(Buffer b, String kernel) {
        CudaBuffer c = CudaBackend.cb(b, kernel);
        if (c.dtype().isComplex()) throw new IllegalArgumentException(kernel + ": complex dtype " + c.dtype() + " is not supported");
        return c;
    }

    private static void sameDtype(String kernel, CudaBuffer a, CudaBuffer b) {
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException(kernel + ": buffers of dtype " + a.dtype() + " and " + b.dtype());
    }

    /** conv.cu's Geo: the geometry padded in front to three axes (size 1, kernel 1, no padding). */
    static int[] geo(ConvGeometry g) {
        int[] w = new int[19];
        int lead = 3 - g.rank();
        for (int a = 0; a < 3; a++) {
            boolean pad = a < lead;
            int b = a - lead;
            w[a] = pad ? 1 : g.in(b);
            w[3 + a] = pad ? 1 : g.out(b);
            w[6 + a] = pad ? 1 : g.kernel(b);
            w[9 + a] = pad ? 1 : g.stride(b);
            w[12 + a] = pad ? 0 : g.padding(b);
            w[15 + a] = pad ? 1 : g.dilation(b);
        }
        w[18] = g.circular() ? 1 : 0;
        return w;
    }

    @Override public void im2col(Buffer x, long xOffset, int batch, int channels, ConvGeometry g, Buffer cols, long colsOffset,
                                 long colsBatchStride, long ldCols) {
        CudaBuffer xs = real(x, "im2col"), cs = real(cols, "im2col");
        sameDtype("im2col", xs, cs);
        long work = (long) batch * channels * g.kernelVolume() * g.outVolume();
        synchronized (be) {
            be.launch1d("im2col_" + CudaBackend.prec(xs.dtype()), work, new KernelArgs().ptr(xs).i64(xOffset).i64(batch).i64(channels)
                    .struct(geo(g)).ptr(cs).i64(colsOffset).i64(colsBatchStride).i64(ldCols));
        }
    }

    @Override public void col2im(Buffer cols, long colsOffset, long colsBatchStride, long ldCols, int batch, int channels, ConvGeometry g,
                                 Buffer x, long xOffset) {
        CudaBuffer xs = real(x, "col2im"), cs = real(cols, "col2im");
        sameDtype("col2im", xs, cs);
        long work = (long) batch * channels * g.kernelVolume() * g.outVolume();
        synchronized (be) {
            be.launch1d("col2im_" + CudaBackend.prec(xs.dtype()), work, new KernelArgs().ptr(cs).i64(colsOffset).i64(colsBatchStride).i64(ldCols)
                    .i64(batch).i64(channels).struct(geo(g)).ptr(xs).i64(xOffset));
        }
    }

    @Override public void maxPool(Buffer key, Buffer values, int planes, ConvGeometry g, Buffer out) {
        CudaBuffer k = real(key, "maxPool"), v = real(values, "maxPool"), o = real(out, "maxPool");
        sameDtype("maxPool", v, o);
        sameDtype("maxPool", k, v);
        synchronized (be) {
            be.launch1d("maxpool_" + CudaBackend.prec(v.dtype()), (long) planes * g.outVolume(),
                    new KernelArgs().ptr(k).ptr(v).i64(planes).struct(geo(g)).ptr(o));
        }
    }

    @Override public void maxPoolAdjoint(Buffer key, Buffer grad, int planes, ConvGeometry g, Buffer out) {
        CudaBuffer k = real(key, "maxPoolAdjoint"), gr = real(grad, "maxPoolAdjoint"), o = real(out, "maxPoolAdjoint");
        sameDtype("maxPoolAdjoint", gr, o);
        sameDtype("maxPoolAdjoint", k, gr);
        synchronized (be) {
            be.launch1d("maxpool_adjoint_" + CudaBackend.prec(gr.dtype()), (long) planes * g.outVolume(),
                    new KernelArgs().ptr(k).ptr(gr).i64(planes).struct(geo(g)).ptr(o));
        }
    }

    @Override public void avgPool(Buffer x, int planes, ConvGeometry g, boolean countIncludePad, Buffer out) {
        CudaBuffer xs = real(x, "avgPool"), o = real(out, "avgPool");
        sameDtype("avgPool", xs, o);
        synchronized (be) {
            be.launch1d("avgpool_" + CudaBackend.prec(xs.dtype()), (long) planes * g.outVolume(),
                    new KernelArgs().ptr(xs).i64(planes).struct(geo(g)).i32(countIncludePad).ptr(o));
        }
    }

    @Override public void avgPoolAdjoint(Buffer grad, int planes, ConvGeometry g, boolean countIncludePad, Buffer out) {
        CudaBuffer gr = real(grad, "avgPoolAdjoint"), o = real(out, "avgPoolAdjoint");
        sameDtype("avgPoolAdjoint", gr, o);
        synchronized (be) {
            be.launch1d("avgpool_adjoint_" + CudaBackend.prec(gr.dtype()), (long) planes * g.outVolume(),
                    new KernelArgs().ptr(gr).i64(planes).struct(geo(g)).i32(countIncludePad).ptr(o));
        }
    }

    @Override public void linearResample(Buffer x, int outer, int inSize, int inner, int outSize, boolean alignCorners, Buffer out) {
        CudaBuffer xs = real(x, "linearResample"), o = real(out, "linearResample");
        sameDtype("linearResample", xs, o);
        synchronized (be) {
            be.launch1d("resample_" + CudaBackend.prec(xs.dtype()), (long) outer * outSize * inner,
                    new KernelArgs().ptr(xs).i64(outer).i64(inSize).i64(inner).i64(outSize).i32(alignCorners).ptr(o));
        }
    }

    @Override public void linearResampleAdjoint(Buffer grad, int outer, int outSize, int inner, int inSize, boolean alignCorners, Buffer out) {
        CudaBuffer gs = real(grad, "linearResampleAdjoint"), o = real(out, "linearResampleAdjoint");
        sameDtype("linearResampleAdjoint", gs, o);
        synchronized (be) {
            be.launch1d("resample_adjoint_" + CudaBackend.prec(gs.dtype()), (long) outer * outSize * inner,
                    new KernelArgs().ptr(gs).i64(outer).i64(outSize).i64(inner).i64(inSize).i32(alignCorners).ptr(o));
        }
    }
}
