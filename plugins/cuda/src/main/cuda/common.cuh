// Shared definitions of the OpForge CUDA kernels. Every kernel takes element offsets and strides
// (never bytes), int64 sizes, and loops grid-stride, so the Java side may launch any grid size.
#pragma once
#include <stdint.h>

typedef long long i64;
typedef unsigned long long u64;

// The dynamic shared memory of a block, as bytes. A macro so the host emulation used by the tests
// (src/test/cpp) can supply its own definition.
#ifndef OPF_DYNAMIC_SMEM
#define OPF_DYNAMIC_SMEM(name) extern __shared__ __align__(16) unsigned char name[]
#endif

// Highest rank of a strided descriptor after the host merged contiguous axes.
#define MAXR 8

// Two strided operands over one shape: st[0] and st[1] are element strides (0 broadcasts).
// Laid out as 25 int64 words; the host passes a long[25].
struct Strided2 {
    i64 rank;
    i64 shape[MAXR];
    i64 st[2][MAXR];
};

// A reduction: the output index runs over the kept axes, the reduced index over the reduced axes,
// both with input strides. 34 int64 words.
struct Reduction {
    i64 krank;
    i64 kshape[MAXR];
    i64 kstride[MAXR];
    i64 rrank;
    i64 rshape[MAXR];
    i64 rstride[MAXR];
};

__device__ __forceinline__ i64 gtid() { return (i64)blockIdx.x * blockDim.x + threadIdx.x; }
__device__ __forceinline__ i64 gstride() { return (i64)gridDim.x * blockDim.x; }

// Offsets of the two operands of linear index i (row-major over shape). 32-bit division when the
// index space fits, since 64-bit division is emulated and dominates a memory-bound kernel.
__device__ __forceinline__ void strided_offsets(i64 i, const Strided2& d, bool small, i64& o0, i64& o1) {
    o0 = 0;
    o1 = 0;
    if (small) {
        unsigned int r = (unsigned int)i;
        for (int ax = (int)d.rank - 1; ax >= 0; ax--) {
            unsigned int s = (unsigned int)d.shape[ax];
            unsigned int q = r / s, idx = r - q * s;
            r = q;
            o0 += (i64)idx * d.st[0][ax];
            o1 += (i64)idx * d.st[1][ax];
        }
    } else {
        u64 r = (u64)i;
        for (int ax = (int)d.rank - 1; ax >= 0; ax--) {
            u64 s = (u64)d.shape[ax];
            u64 q = r / s, idx = r - q * s;
            r = q;
            o0 += (i64)idx * d.st[0][ax];
            o1 += (i64)idx * d.st[1][ax];
        }
    }
}

// Java's Math.max / Math.min: NaN if either is NaN, +0 above -0.
template <typename T> __device__ __forceinline__ T jmax(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit(a) ? b : a;
    return a > b ? a : b;
}
template <typename T> __device__ __forceinline__ T jmin(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit(a) ? a : b;
    return a < b ? a : b;
}
