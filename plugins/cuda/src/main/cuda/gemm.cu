// Batched row-major GEMM, C_q = alpha op(A_q) op(B_q) + beta C_q, for float, double and the two
// interleaved complex types (no conjugation). Shared-memory tiling: a block computes a BM x BN tile
// of C, loading BK-wide panels of A and B into shared memory; each thread accumulates a TM x TN
// register tile. op(A) is m x k: A stored m x k (lda = k), or k x m when transposed (lda = m);
// op(B) is k x n: B stored k x n, or n x k when transposed. Batch strides of 0 share one matrix.
#include "common.cuh"

template <typename T> struct Ops;
template <> struct Ops<float> {
    static __device__ __forceinline__ float zero() { return 0.f; }
    static __device__ __forceinline__ void mac(float& acc, float a, float b) { acc = fmaf(a, b, acc); }
    static __device__ __forceinline__ float axpby(double alpha, float acc, double beta, float c) {
        return beta == 0.0 ? (float)alpha * acc : (float)alpha * acc + (float)beta * c;
    }
};
template <> struct Ops<double> {
    static __device__ __forceinline__ double zero() { return 0.0; }
    static __device__ __forceinline__ void mac(double& acc, double a, double b) { acc = fma(a, b, acc); }
    static __device__ __forceinline__ double axpby(double alpha, double acc, double beta, double c) {
        return beta == 0.0 ? alpha * acc : alpha * acc + beta * c;
    }
};
template <> struct Ops<float2> {
    static __device__ __forceinline__ float2 zero() { return make_float2(0.f, 0.f); }
    static __device__ __forceinline__ void mac(float2& acc, float2 a, float2 b) {
        acc.x = fmaf(a.x, b.x, fmaf(-a.y, b.y, acc.x));
        acc.y = fmaf(a.x, b.y, fmaf(a.y, b.x, acc.y));
    }
    static __device__ __forceinline__ float2 axpby(double alpha, float2 acc, double beta, float2 c) {
        float al = (float)alpha, be = (float)beta;
        if (beta == 0.0) return make_float2(al * acc.x, al * acc.y);
        return make_float2(al * acc.x + be * c.x, al * acc.y + be * c.y);
    }
};
template <> struct Ops<double2> {
    static __device__ __forceinline__ double2 zero() { return make_double2(0.0, 0.0); }
    static __device__ __forceinline__ void mac(double2& acc, double2 a, double2 b) {
        acc.x = fma(a.x, b.x, fma(-a.y, b.y, acc.x));
        acc.y = fma(a.x, b.y, fma(a.y, b.x, acc.y));
    }
    static __device__ __forceinline__ double2 axpby(double alpha, double2 acc, double beta, double2 c) {
        if (beta == 0.0) return make_double2(alpha * acc.x, alpha * acc.y);
        return make_double2(alpha * acc.x + beta * c.x, alpha * acc.y + beta * c.y);
    }
};

// Threads per block: (BM / TM) * (BN / TN); the launcher uses exactly that many.
template <typename T, bool TA, bool TB, int BM, int BN, int BK, int TM, int TN>
__device__ void gemm_tile(int M, int N, int K, double alpha, const T* A, i64 aOff, i64 aBS, const T* B, i64 bOff, i64 bBS,
                          double beta, T* C, i64 cOff, i64 cBS, int batch) {
    constexpr int TX = BN / TN, TY = BM / TM, NT = TX * TY;
    // +1 column of padding breaks the power-of-two stride of the transposed stores
    __shared__ T As[BK][BM + 1];
    __shared__ T Bs[BK][BN + 1];
    const int tid = threadIdx.x, tx = tid % TX, ty = tid / TX;
    const int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;
    for (int q = blockIdx.z; q < batch; q += gridDim.z) {
        const T* a = A + aOff + (i64)q * aBS;
        const T* b = B + bOff + (i64)q * bBS;
        T* c = C + cOff + (i64)q * cBS;
        T acc[TM][TN];
#pragma unroll
        for (int i = 0; i < TM; i++)
#pragma unroll
            for (int j = 0; j < TN; j++) acc[i][j] = Ops<T>::zero();
        for (int k0 = 0; k0 < K; k0 += BK) {
            // panel loads: consecutive threads walk the dimension that is contiguous in memory
            for (int e = tid; e < BM * BK; e += NT) {
                int i, l;
                if (!TA) { i = e / BK; l = e % BK; } else { l = e / BM; i = e % BM; }
                int gi = row0 + i, gl = k0 + l;
                T v = Ops<T>::zero();
                if (gi < M && gl < K) v = TA ? a[(i64)gl * M + gi] : a[(i64)gi * K + gl];
                As[l][i] = v;
            }
            for (int e = tid; e < BN * BK; e += NT) {
                int j, l;
                if (!TB) { l = e / BN; j = e % BN; } else { j = e / BK; l = e % BK; }
                int gj = col0 + j, gl = k0 + l;
                T v = Ops<T>::zero();
                if (gj < N && gl < K) v = TB ? b[(i64)gj * K + gl] : b[(i64)gl * N + gj];
                Bs[l][j] = v;
            }
            __syncthreads();
#pragma unroll
            for (int l = 0; l < BK; l++) {
                T ra[TM], rb[TN];
#pragma unroll
                for (int i = 0; i < TM; i++) ra[i] = As[l][ty * TM + i];
#pragma unroll
                for (int j = 0; j < TN; j++) rb[j] = Bs[l][tx * TN + j];
#pragma unroll
                for (int i = 0; i < TM; i++)
#pragma unroll
                    for (int j = 0; j < TN; j++) Ops<T>::mac(acc[i][j], ra[i], rb[j]);
            }
            __syncthreads();
        }
#pragma unroll
        for (int i = 0; i < TM; i++) {
            int gi = row0 + ty * TM + i;
            if (gi >= M) continue;
#pragma unroll
            for (int j = 0; j < TN; j++) {
                int gj = col0 + tx * TN + j;
                if (gj >= N) continue;
                T* p = c + (i64)gi * N + gj;
                *p = Ops<T>::axpby(alpha, acc[i][j], beta, beta == 0.0 ? Ops<T>::zero() : *p);
            }
        }
    }
}


// Tile shapes (BM, BN, BK, TM, TN), 256 threads each: float 128x128 with 8x8 per thread; double and
// complex float 64x64 with 4x4; complex double 32x32 with 2x2 (register and shared-memory budget).
#define GEMM_ENTRY(NAME, TT, TA, TB, BM, BN, BK, TM, TN)                                              \
    extern "C" __global__ void __launch_bounds__(256) NAME(                                             \
        int M, int N, int K, double alpha, const TT* A, i64 aOff, i64 aBS, const TT* B, i64 bOff, i64 bBS, \
        double beta, TT* C, i64 cOff, i64 cBS, int batch) {                                            \
        gemm_tile<TT, TA, TB, BM, BN, BK, TM, TN>(M, N, K, alpha, A, aOff, aBS, B, bOff, bBS, beta, C, cOff, cBS, batch); \
    }

GEMM_ENTRY(gemm_f32_nn, float, false, false, 128, 128, 8, 8, 8)
GEMM_ENTRY(gemm_f32_nt, float, false, true, 128, 128, 8, 8, 8)
GEMM_ENTRY(gemm_f32_tn, float, true, false, 128, 128, 8, 8, 8)
GEMM_ENTRY(gemm_f32_tt, float, true, true, 128, 128, 8, 8, 8)
GEMM_ENTRY(gemm_f64_nn, double, false, false, 64, 64, 8, 4, 4)
GEMM_ENTRY(gemm_f64_nt, double, false, true, 64, 64, 8, 4, 4)
GEMM_ENTRY(gemm_f64_tn, double, true, false, 64, 64, 8, 4, 4)
GEMM_ENTRY(gemm_f64_tt, double, true, true, 64, 64, 8, 4, 4)
GEMM_ENTRY(gemm_c64_nn, float2, false, false, 64, 64, 8, 4, 4)
GEMM_ENTRY(gemm_c64_nt, float2, false, true, 64, 64, 8, 4, 4)
GEMM_ENTRY(gemm_c64_tn, float2, true, false, 64, 64, 8, 4, 4)
GEMM_ENTRY(gemm_c64_tt, float2, true, true, 64, 64, 8, 4, 4)
GEMM_ENTRY(gemm_c128_nn, double2, false, false, 32, 32, 8, 2, 2)
GEMM_ENTRY(gemm_c128_nt, double2, false, true, 32, 32, 8, 2, 2)
GEMM_ENTRY(gemm_c128_tn, double2, true, false, 32, 32, 8, 2, 2)
GEMM_ENTRY(gemm_c128_tt, double2, true, true, 32, 32, 8, 2, 2)
