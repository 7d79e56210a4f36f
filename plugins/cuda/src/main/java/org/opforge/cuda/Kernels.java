package org.opforge.cuda;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kernel the backend launches: its PTX module (one per CUDA source file under
 * {@code src/main/cuda}, shipped as {@code org/opforge/cuda/<module>.ptx}) and its parameter
 * signature in {@link KernelArgs} codes. The tests check each entry against the PTX text.
 */
final class Kernels {
    private Kernels() {}

    /** A kernel entry point. */
    record Kernel(String name, String module, String signature) {}

    /** The PTX modules, loaded once per context. */
    static final List<String> MODULES = List.of("elementwise", "reduce", "gemm", "fft", "conv");

    /** Struct sizes in bytes (see common.cuh, fft.cu, conv.cu). */
    static final int STRIDED2 = 200, REDUCTION = 272, FFT_SHAPE = 72, GEO = 76;

    private static final Map<String, Kernel> ALL = new LinkedHashMap<>();

    private static void def(String module, String signature, String... names) {
        for (String n : names) {
            if (ALL.put(n, new Kernel(n, module, signature)) != null) throw new IllegalStateException("kernel " + n + " defined twice");
        }
    }

    static {
        String s2 = "S" + STRIDED2, red = "S" + REDUCTION, fs = "S" + FFT_SHAPE, geo = "G" + GEO;
        // elementwise.cu
        def("elementwise", "p l l d", "fill_f32", "fill_f64");
        def("elementwise", "p l p l l", "cast_f32_f32", "cast_f32_f64", "cast_f64_f32", "cast_f64_f64");
        def("elementwise", "p p l i d", "unary_f32", "unary_f64");
        def("elementwise", "p l p l p l i " + s2, "binary_f32", "binary_f64", "binary_c64", "binary_c128");
        def("elementwise", "p p p l", "cparts_f32", "cparts_f64", "ccombine_f32", "ccombine_f64");
        def("elementwise", "p p l", "conj_f32", "conj_f64");
        def("elementwise", "p l p l l " + s2, "copy_strided_b4", "copy_strided_b8", "copy_strided_b16");
        def("elementwise", "p l p l l l " + s2, "add_strided_f32", "add_strided_f64");
        def("elementwise", "p p p l l l l", "gather_f32", "gather_f64", "scatter_add_f32", "scatter_add_f64");
        def("elementwise", "p l l l d d", "rand_uniform_f32", "rand_uniform_f64", "rand_normal_f32", "rand_normal_f64");
        // reduce.cu
        def("reduce", "p p l l i " + red, "reduce_thread_f32", "reduce_thread_f64");
        def("reduce", "p p p l l i l " + red, "reduce_block_f32", "reduce_block_f64");
        def("reduce", "p p l l i", "reduce_finish_f32", "reduce_finish_f64");
        // gemm.cu
        for (String t : new String[] {"f32", "f64", "c64", "c128"}) {
            for (String ab : new String[] {"nn", "nt", "tn", "tt"}) def("gemm", "i i i d p l l p l l d p l l i", "gemm_" + t + "_" + ab);
        }
        // fft.cu
        def("fft", "p p " + fs + " d p i i i", "fft_smem_f32", "fft_smem_f64");
        def("fft", "p p " + fs + " l p", "fft_load_f32", "fft_load_f64");
        def("fft", "p p l l l p", "fft_stockham_f32", "fft_stockham_f64");
        def("fft", "p l l p i", "fft_pointwise_f32", "fft_pointwise_f64");
        def("fft", "p p " + fs + " l d p i", "fft_store_f32", "fft_store_f64");
        def("fft", "p p p l l l l i i i i", "channel_mix_c64", "channel_mix_c128");
        // conv.cu
        def("conv", "p l l l " + geo + " p l l l", "im2col_f32", "im2col_f64");
        def("conv", "p l l l l l " + geo + " p l", "col2im_f32", "col2im_f64");
        def("conv", "p p l " + geo + " p", "maxpool_f32", "maxpool_f64", "maxpool_adjoint_f32", "maxpool_adjoint_f64");
        def("conv", "p l " + geo + " i p", "avgpool_f32", "avgpool_f64", "avgpool_adjoint_f32", "avgpool_adjoint_f64");
        def("conv", "p l l l l i p", "resample_f32", "resample_f64", "resample_adjoint_f32", "resample_adjoint_f64");
    }

    static Kernel get(String name) {
        Kernel k = ALL.get(name);
        if (k == null) throw new IllegalArgumentException("no CUDA kernel named '" + name + "'");
        return k;
    }

    static Map<String, Kernel> all() {
        return Collections.unmodifiableMap(ALL);
    }
}
