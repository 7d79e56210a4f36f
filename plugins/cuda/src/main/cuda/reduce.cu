// Reductions (SUM, MAX, MIN) over any set of axes, accumulated in double like the CPU backend.
// MAX and MIN propagate NaN: once a NaN is combined it stays.
#include "common.cuh"

enum { R_SUM = 0, R_MAX, R_MIN };

__device__ __forceinline__ double r_init(int op) {
    return op == R_SUM ? 0.0 : (op == R_MAX ? -__longlong_as_double(0x7ff0000000000000LL) : __longlong_as_double(0x7ff0000000000000LL));
}
__device__ __forceinline__ double r_combine(int op, double acc, double v) {
    if (op == R_SUM) return acc + v;
    bool vnan = v != v, anan = acc != acc;
    if (op == R_MAX) return ((v > acc || vnan) && !anan) ? v : acc;
    return ((v < acc || vnan) && !anan) ? v : acc;
}

// Input offset of output index m (over the kept axes) and of reduced index r.
__device__ __forceinline__ i64 kept_offset(i64 m, const Reduction& d) {
    i64 off = 0;
    for (int ax = (int)d.krank - 1; ax >= 0; ax--) {
        i64 s = d.kshape[ax], q = m / s;
        off += (m - q * s) * d.kstride[ax];
        m = q;
    }
    return off;
}
__device__ __forceinline__ i64 reduced_offset(i64 r, const Reduction& d) {
    i64 off = 0;
    for (int ax = (int)d.rrank - 1; ax >= 0; ax--) {
        i64 s = d.rshape[ax], q = r / s;
        off += (r - q * s) * d.rstride[ax];
        r = q;
    }
    return off;
}

// One thread per output: best when the reduced extent is short or the kept axis is the contiguous
// one (neighbouring threads then read neighbouring elements).
template <typename T> __device__ void reduce_thread_impl(const T* x, T* out, i64 M, i64 R, int op, const Reduction& d) {
    for (i64 m = gtid(); m < M; m += gstride()) {
        i64 base = kept_offset(m, d);
        double acc = r_init(op);
        if (d.rrank == 1) {
            i64 s = d.rstride[0];
            for (i64 r = 0; r < R; r++) acc = r_combine(op, acc, (double)x[base + r * s]);
        } else {
            for (i64 r = 0; r < R; r++) acc = r_combine(op, acc, (double)x[base + reduced_offset(r, d)]);
        }
        out[m] = (T)acc;
    }
}
extern "C" __global__ void reduce_thread_f32(const float* x, float* out, i64 M, i64 R, int op, Reduction d) {
    reduce_thread_impl(x, out, M, R, op, d);
}
extern "C" __global__ void reduce_thread_f64(const double* x, double* out, i64 M, i64 R, int op, Reduction d) {
    reduce_thread_impl(x, out, M, R, op, d);
}

#define RBLOCK 256

// Block (m, chunk) reduces the reduced indices [chunk*R/chunks, (chunk+1)*R/chunks) of output m with a
// shared-memory tree; with one chunk it writes the output, otherwise partial[m*chunks + chunk].
template <typename T>
__device__ void reduce_block_impl(const T* x, double* partial, T* out, i64 M, i64 R, int op, i64 chunks, const Reduction& d) {
    __shared__ double sh[RBLOCK];
    for (i64 b = blockIdx.x; b < M * chunks; b += gridDim.x) {
        i64 m = b / chunks, c = b - m * chunks;
        i64 r0 = c * R / chunks, r1 = (c + 1) * R / chunks;
        i64 base = kept_offset(m, d);
        double acc = r_init(op);
        if (d.rrank == 1) {
            i64 s = d.rstride[0];
            for (i64 r = r0 + threadIdx.x; r < r1; r += blockDim.x) acc = r_combine(op, acc, (double)x[base + r * s]);
        } else {
            for (i64 r = r0 + threadIdx.x; r < r1; r += blockDim.x) acc = r_combine(op, acc, (double)x[base + reduced_offset(r, d)]);
        }
        sh[threadIdx.x] = acc;
        __syncthreads();
        for (int h = blockDim.x / 2; h > 0; h >>= 1) {
            if (threadIdx.x < h) sh[threadIdx.x] = r_combine(op, sh[threadIdx.x], sh[threadIdx.x + h]);
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            if (chunks == 1) out[m] = (T)sh[0];
            else partial[b] = sh[0];
        }
        __syncthreads();
    }
}
extern "C" __global__ void reduce_block_f32(const float* x, double* partial, float* out, i64 M, i64 R, int op, i64 chunks, Reduction d) {
    reduce_block_impl(x, partial, out, M, R, op, chunks, d);
}
extern "C" __global__ void reduce_block_f64(const double* x, double* partial, double* out, i64 M, i64 R, int op, i64 chunks, Reduction d) {
    reduce_block_impl(x, partial, out, M, R, op, chunks, d);
}

// out[m] = combination of partial[m*chunks .. m*chunks + chunks).
template <typename T> __device__ void reduce_finish_impl(const double* partial, T* out, i64 M, i64 chunks, int op) {
    for (i64 m = gtid(); m < M; m += gstride()) {
        double acc = r_init(op);
        for (i64 c = 0; c < chunks; c++) acc = r_combine(op, acc, partial[m * chunks + c]);
        out[m] = (T)acc;
    }
}
extern "C" __global__ void reduce_finish_f32(const double* partial, float* out, i64 M, i64 chunks, int op) {
    reduce_finish_impl(partial, out, M, chunks, op);
}
extern "C" __global__ void reduce_finish_f64(const double* partial, double* out, i64 M, i64 chunks, int op) {
    reduce_finish_impl(partial, out, M, chunks, op);
}
