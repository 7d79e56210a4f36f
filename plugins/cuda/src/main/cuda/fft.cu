// FFT kernels of the OpForge CUDA backend (org.opforge.tensor.backend.FftKernels).
//
// Every transform is batched over "lanes": the transformed axis of length n sits between `outer`
// leading and `inner` trailing elements, lane L = o*inner + c reads element (o, t, c). A transform
// is a load mode (how the length-n complex row is formed from the input), a complex DFT of the row
// with the sign baked into the twiddle table tw[q] = exp(sign 2 pi i q / n), and a store mode (which
// bins are written, with what weight and scale):
//   load:  C_FULL  complex, length n            C_PAD  kept bins {0..lo-1} u {n-hi..n-1}, rest 0
//          REAL    real, length n (im = 0)      HALF   bins 0..bins-1 times the Hermitian weights
//   store: C_FULL  all n bins                   C_PRUNE the kept bins {0..lo-1} u {n-hi..n-1}
//          BINS    bins 0..bins-1, weighted, im of bin 0 and n/2 exactly 0     REAL  real part
// c2c analysis is C_FULL -> C_PRUNE, synthesis C_PAD -> C_FULL, r2c REAL -> BINS, c2r HALF -> REAL.
//
// Algorithms: fft_smem does load, transform and store in one kernel with the rows in shared memory,
// either radix-2 decimation in time (bit-reversed load, in-place butterflies) for powers of two or
// a direct DFT for short other lengths (which computes only the stored bins: the truncated DFT).
// Longer rows go through global work buffers: fft_load, log2(N) radix-2 Stockham passes
// (fft_stockham, self-sorting, no bit reversal), fft_store. Lengths without a power-of-two or
// short-DFT path use Bluestein's chirp-z: the host chains load(chirp), FFT, pointwise(conj(. * B)),
// FFT, store(conj, chirp, 1/m).
#include "common.cuh"

template <typename R> struct Cx;
template <> struct Cx<float> { typedef float2 T; static __device__ __forceinline__ float2 make(float a, float b) { return make_float2(a, b); } };
template <> struct Cx<double> { typedef double2 T; static __device__ __forceinline__ double2 make(double a, double b) { return make_double2(a, b); } };

template <typename C> __device__ __forceinline__ C cmul(C a, C b) {
    C r;
    r.x = a.x * b.x - a.y * b.y;
    r.y = a.x * b.y + a.y * b.x;
    return r;
}
template <typename C> __device__ __forceinline__ C cadd(C a, C b) { C r; r.x = a.x + b.x; r.y = a.y + b.y; return r; }
template <typename C> __device__ __forceinline__ C csub(C a, C b) { C r; r.x = a.x - b.x; r.y = a.y - b.y; return r; }

enum { LOAD_C_FULL = 0, LOAD_C_PAD = 1, LOAD_REAL = 2, LOAD_HALF = 3 };
enum { STORE_C_FULL = 0, STORE_C_PRUNE = 1, STORE_BINS = 2, STORE_REAL = 3 };
enum { ALGO_RADIX2 = 0, ALGO_DFT = 1 };

// Geometry of one call: 9 int64 words.
struct FftShape {
    i64 outer, n, inner, lo, hi, bins, herm, load, store;
};

__device__ __forceinline__ double herm_weight(const FftShape& s, i64 k) {
    return (s.herm && k > 0 && 2 * k < s.n) ? 2.0 : 1.0;
}

// The complex value at position t (< n) of the row of lane (o, c).
template <typename R>
__device__ __forceinline__ typename Cx<R>::T load_at(const R* in, const FftShape& s, i64 o, i64 c, i64 t) {
    switch (s.load) {
        case LOAD_C_FULL: {
            i64 p = 2 * ((o * s.n + t) * s.inner + c);
            return Cx<R>::make(in[p], in[p + 1]);
        }
        case LOAD_C_PAD: {
            i64 kept = s.lo + s.hi, j;
            if (t < s.lo) j = t;
            else if (t >= s.n - s.hi) j = s.lo + t - (s.n - s.hi);
            else return Cx<R>::make(0, 0);
            i64 p = 2 * ((o * kept + j) * s.inner + c);
            return Cx<R>::make(in[p], in[p + 1]);
        }
        case LOAD_REAL:
            return Cx<R>::make(in[(o * s.n + t) * s.inner + c], 0);
        default: {  // LOAD_HALF
            if (t >= s.bins) return Cx<R>::make(0, 0);
            double w = herm_weight(s, t);
            i64 p = 2 * ((o * s.bins + t) * s.inner + c);
            return Cx<R>::make((R)(w * in[p]), (R)(w * in[p + 1]));
        }
    }
}

__device__ __forceinline__ i64 store_len(const FftShape& s) {
    switch (s.store) {
        case STORE_C_PRUNE: return s.lo + s.hi;
        case STORE_BINS: return s.bins;
        default: return s.n;
    }
}

// Row position (frequency) that output index j of the store reads.
__device__ __forceinline__ i64 store_src(const FftShape& s, i64 j) {
    if (s.store == STORE_C_PRUNE) return j < s.lo ? j : s.n - s.hi + (j - s.lo);
    return j;
}

template <typename R, typename C>
__device__ __forceinline__ void store_at(R* out, const FftShape& s, i64 o, i64 c, i64 j, i64 k, C v, double scale) {
    switch (s.store) {
        case STORE_C_FULL: {
            i64 p = 2 * ((o * s.n + j) * s.inner + c);
            out[p] = (R)(scale * v.x);
            out[p + 1] = (R)(scale * v.y);
            break;
        }
        case STORE_C_PRUNE: {
            i64 p = 2 * ((o * (s.lo + s.hi) + j) * s.inner + c);
            out[p] = (R)(scale * v.x);
            out[p + 1] = (R)(scale * v.y);
            break;
        }
        case STORE_BINS: {
            double w = scale * herm_weight(s, k);
            i64 p = 2 * ((o * s.bins + j) * s.inner + c);
            out[p] = (R)(w * v.x);
            out[p + 1] = (k == 0 || 2 * k == s.n) ? (R)0 : (R)(w * v.y);
            break;
        }
        default:  // STORE_REAL
            out[(o * s.n + j) * s.inner + c] = (R)(scale * v.x);
    }
}

// One block transforms up to `lanesPerBlock` consecutive lanes held in dynamic shared memory
// (lanesPerBlock * n complex values). With inner == 1 a lane's row is contiguous, so threads walk
// lane-major; otherwise neighbouring lanes are neighbours in memory, so threads walk position-major.
template <typename R>
__device__ void fft_smem_impl(const R* in, R* out, const FftShape& s, double scale, const R* twr, int algo, int lanesPerBlock, int logn) {
    typedef typename Cx<R>::T C;
    OPF_DYNAMIC_SMEM(fft_smem_raw);
    C* row = reinterpret_cast<C*>(fft_smem_raw);
    const C* tw = reinterpret_cast<const C*>(twr);
    const i64 lanes = s.outer * s.inner;
    const int n = (int)s.n, LB = lanesPerBlock;
    const int nOut = (int)store_len(s);
    for (i64 lane0 = (i64)blockIdx.x * LB; lane0 < lanes; lane0 += (i64)gridDim.x * LB) {
        const int nl = (int)min((i64)LB, lanes - lane0);
        for (int e = threadIdx.x; e < nl * n; e += blockDim.x) {
            int lb, t;
            if (s.inner == 1) { lb = e / n; t = e - lb * n; } else { t = e / nl; lb = e - t * nl; }
            i64 L = lane0 + lb, o = L / s.inner, c = L - o * s.inner;
            C v = load_at(in, s, o, c, (i64)t);
            int pos = (algo == ALGO_RADIX2 && logn > 0) ? (int)(__brev((unsigned int)t) >> (32 - logn)) : t;
            row[lb * n + pos] = v;
        }
        __syncthreads();
        if (algo == ALGO_RADIX2) {
            const int hn = n / 2;
            for (int half = 1; half < n; half <<= 1) {
                const int step = n / (2 * half);
                for (int b = threadIdx.x; b < nl * hn; b += blockDim.x) {
                    int lb = b / hn, j = b - lb * hn;
                    int pos = j & (half - 1);
                    int i0 = lb * n + (j - pos) * 2 + pos, i1 = i0 + half;
                    C u = row[i0], v = cmul(row[i1], tw[pos * step]);
                    row[i0] = cadd(u, v);
                    row[i1] = csub(u, v);
                }
                __syncthreads();
            }
            for (int e = threadIdx.x; e < nl * nOut; e += blockDim.x) {
                int lb, j;
                if (s.inner == 1) { lb = e / nOut; j = e - lb * nOut; } else { j = e / nl; lb = e - j * nl; }
                i64 L = lane0 + lb, o = L / s.inner, c = L - o * s.inner;
                i64 k = store_src(s, j);
                store_at(out, s, o, c, (i64)j, k, row[lb * n + k], scale);
            }
        } else {
            // direct DFT of the stored bins only: out_k = sum_t row_t tw[(k t) mod n]
            for (int e = threadIdx.x; e < nl * nOut; e += blockDim.x) {
                int lb, j;
                if (s.inner == 1) { lb = e / nOut; j = e - lb * nOut; } else { j = e / nl; lb = e - j * nl; }
                i64 L = lane0 + lb, o = L / s.inner, c = L - o * s.inner;
                int k = (int)store_src(s, j);
                C acc = Cx<R>::make(0, 0);
                const C* r = row + lb * n;
                int idx = 0;
                for (int t = 0; t < n; t++) {
                    C w = tw[idx];
                    acc.x += r[t].x * w.x - r[t].y * w.y;
                    acc.y += r[t].x * w.y + r[t].y * w.x;
                    idx += k;
                    if (idx >= n) idx -= n;
                }
                store_at(out, s, o, c, (i64)j, (i64)k, acc, scale);
            }
        }
        __syncthreads();
    }
}
extern "C" __global__ void fft_smem_f32(const float* in, float* out, FftShape s, double scale, const float* tw, int algo, int lanesPerBlock, int logn) {
    fft_smem_impl(in, out, s, scale, tw, algo, lanesPerBlock, logn);
}
extern "C" __global__ void fft_smem_f64(const double* in, double* out, FftShape s, double scale, const double* tw, int algo, int lanesPerBlock, int logn) {
    fft_smem_impl(in, out, s, scale, tw, algo, lanesPerBlock, logn);
}

// work[L*N + t] = load(t) (times chirp[t] when a chirp is given) for t < n, 0 for n <= t < N.
template <typename R>
__device__ void fft_load_impl(const R* in, R* workr, const FftShape& s, i64 N, const R* chirpr) {
    typedef typename Cx<R>::T C;
    C* work = reinterpret_cast<C*>(workr);
    const C* chirp = reinterpret_cast<const C*>(chirpr);
    const i64 lanes = s.outer * s.inner, total = lanes * N;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 L, t;
        if (s.inner == 1) { L = e / N; t = e - L * N; } else { t = e / lanes; L = e - t * lanes; }
        C v = Cx<R>::make(0, 0);
        if (t < s.n) {
            i64 o = L / s.inner, c = L - o * s.inner;
            v = load_at(in, s, o, c, t);
            if (chirp != nullptr) v = cmul(v, chirp[t]);
        }
        work[L * N + t] = v;
    }
}
extern "C" __global__ void fft_load_f32(const float* in, float* work, FftShape s, i64 N, const float* chirp) { fft_load_impl(in, work, s, N, chirp); }
extern "C" __global__ void fft_load_f64(const double* in, double* work, FftShape s, i64 N, const double* chirp) { fft_load_impl(in, work, s, N, chirp); }

// One radix-2 Stockham pass over rows of length N (power of two) after sub-transforms of size Ns:
// dst[(j/Ns)*2Ns + j%Ns] = x_j + w x_{j+N/2}, dst[... + Ns] = x_j - w x_{j+N/2}, w = tw[(j%Ns) N/(2Ns)].
template <typename R>
__device__ void fft_stockham_impl(const R* srcr, R* dstr, i64 lanes, i64 N, i64 Ns, const R* twr) {
    typedef typename Cx<R>::T C;
    const C* src = reinterpret_cast<const C*>(srcr);
    C* dst = reinterpret_cast<C*>(dstr);
    const C* tw = reinterpret_cast<const C*>(twr);
    const i64 hn = N / 2, total = lanes * hn, step = N / (2 * Ns);
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 L = e / hn, j = e - L * hn;
        const C* x = src + L * N;
        C* y = dst + L * N;
        i64 k = j & (Ns - 1);
        C in0 = x[j], v = cmul(x[j + hn], tw[k * step]);
        i64 d = (j - k) * 2 + k;
        y[d] = cadd(in0, v);
        y[d + Ns] = csub(in0, v);
    }
}
extern "C" __global__ void fft_stockham_f32(const float* src, float* dst, i64 lanes, i64 N, i64 Ns, const float* tw) {
    fft_stockham_impl(src, dst, lanes, N, Ns, tw);
}
extern "C" __global__ void fft_stockham_f64(const double* src, double* dst, i64 lanes, i64 N, i64 Ns, const double* tw) {
    fft_stockham_impl(src, dst, lanes, N, Ns, tw);
}

// work[L*N + t] = (conjOut ? conj : id)(work[L*N + t] * mul[t]).
template <typename R>
__device__ void fft_pointwise_impl(R* workr, i64 lanes, i64 N, const R* mulr, int conjOut) {
    typedef typename Cx<R>::T C;
    C* work = reinterpret_cast<C*>(workr);
    const C* mul = reinterpret_cast<const C*>(mulr);
    const i64 total = lanes * N;
    for (i64 e = gtid(); e < total; e += gstride()) {
        C v = cmul(work[e], mul[e % N]);
        if (conjOut) v.y = -v.y;
        work[e] = v;
    }
}
extern "C" __global__ void fft_pointwise_f32(float* work, i64 lanes, i64 N, const float* mul, int conjOut) { fft_pointwise_impl(work, lanes, N, mul, conjOut); }
extern "C" __global__ void fft_pointwise_f64(double* work, i64 lanes, i64 N, const double* mul, int conjOut) { fft_pointwise_impl(work, lanes, N, mul, conjOut); }

// Stores row position k = store_src(j) of work (conjugated when conjIn, times chirp[k] when given).
template <typename R>
__device__ void fft_store_impl(const R* workr, R* out, const FftShape& s, i64 N, double scale, const R* chirpr, int conjIn) {
    typedef typename Cx<R>::T C;
    const C* work = reinterpret_cast<const C*>(workr);
    const C* chirp = reinterpret_cast<const C*>(chirpr);
    const i64 lanes = s.outer * s.inner, nOut = store_len(s), total = lanes * nOut;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 L, j;
        if (s.inner == 1) { L = e / nOut; j = e - L * nOut; } else { j = e / lanes; L = e - j * lanes; }
        i64 o = L / s.inner, c = L - o * s.inner, k = store_src(s, j);
        C v = work[L * N + k];
        if (conjIn) v.y = -v.y;
        if (chirp != nullptr) v = cmul(v, chirp[k]);
        store_at(out, s, o, c, j, k, v, scale);
    }
}
extern "C" __global__ void fft_store_f32(const float* work, float* out, FftShape s, i64 N, double scale, const float* chirp, int conjIn) {
    fft_store_impl(work, out, s, N, scale, chirp, conjIn);
}
extern "C" __global__ void fft_store_f64(const double* work, double* out, FftShape s, i64 N, double scale, const double* chirp, int conjIn) {
    fft_store_impl(work, out, s, N, scale, chirp, conjIn);
}

// Complex channel contraction per mode: out[b, o, m] = sum_i A[b, i, m] B[i, o, m], A read from
// (nb, ni, modes) or, transposed, (ni, nb, modes), conjugated on request; B from (ni, no, modes) or
// (no, ni, modes). One thread per output; m is fastest so neighbouring threads read neighbours.
template <typename R>
__device__ void channel_mix_impl(const R* ar, const R* br, R* outr, i64 nb, i64 ni, i64 no, i64 modes,
                                 int transA, int conjA, int transB, int conjB) {
    typedef typename Cx<R>::T C;
    const C* a = reinterpret_cast<const C*>(ar);
    const C* b = reinterpret_cast<const C*>(br);
    C* out = reinterpret_cast<C*>(outr);
    const R sa = conjA ? (R)-1 : (R)1, sb = conjB ? (R)-1 : (R)1;
    const i64 total = nb * no * modes;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 m = e % modes, r = e / modes, o = r % no, bb = r / no;
        C acc = Cx<R>::make(0, 0);
        for (i64 i = 0; i < ni; i++) {
            C x = a[(transA ? (i * nb + bb) : (bb * ni + i)) * modes + m];
            C y = b[(transB ? (o * ni + i) : (i * no + o)) * modes + m];
            x.y *= sa;
            y.y *= sb;
            acc.x += x.x * y.x - x.y * y.y;
            acc.y += x.x * y.y + x.y * y.x;
        }
        out[e] = acc;
    }
}
extern "C" __global__ void channel_mix_c64(const float* a, const float* b, float* out, i64 nb, i64 ni, i64 no, i64 modes,
                                           int transA, int conjA, int transB, int conjB) {
    channel_mix_impl(a, b, out, nb, ni, no, modes, transA, conjA, transB, conjB);
}
extern "C" __global__ void channel_mix_c128(const double* a, const double* b, double* out, i64 nb, i64 ni, i64 no, i64 modes,
                                            int transA, int conjA, int transB, int conjB) {
    channel_mix_impl(a, b, out, nb, ni, no, modes, transA, conjA, transB, conjB);
}
