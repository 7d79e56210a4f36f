// Element-wise kernels of the OpForge CUDA backend: fill, cast, unary and binary math (real and
// complex, with broadcasting through strides), complex parts, strided copy/accumulate, gather /
// scatter-add and the counter-based random fills. float results are computed in double and rounded
// once, like the CPU backend's scalar definitions, so both devices agree to the last float bit
// wherever the math library does.
#include "common.cuh"

#define INV_SQRT2 0.70710678118654752440
#define INV_SQRT_2PI 0.39894228040143267794

// ---- fill / cast -------------------------------------------------------------------------------

// out[i*slots] = v (and the imaginary slot 0 when slots == 2), i < n.
template <typename T> __device__ void fill_impl(T* out, i64 n, i64 slots, double v) {
    for (i64 i = gtid(); i < n; i += gstride()) {
        out[i * slots] = (T)v;
        if (slots == 2) out[i * 2 + 1] = (T)0;
    }
}
extern "C" __global__ void fill_f32(float* out, i64 n, i64 slots, double v) { fill_impl(out, n, slots, v); }
extern "C" __global__ void fill_f64(double* out, i64 n, i64 slots, double v) { fill_impl(out, n, slots, v); }

// out[i*so] = in[i*si]; the second slot of a complex output is the input's imaginary part, or 0
// when the input is real. Complex to real keeps the real part.
template <typename S, typename T> __device__ void cast_impl(const S* in, i64 si, T* out, i64 so, i64 n) {
    for (i64 i = gtid(); i < n; i += gstride()) {
        out[i * so] = (T)in[i * si];
        if (so == 2) out[i * 2 + 1] = si == 2 ? (T)in[i * 2 + 1] : (T)0;
    }
}
extern "C" __global__ void cast_f32_f32(const float* in, i64 si, float* out, i64 so, i64 n) { cast_impl(in, si, out, so, n); }
extern "C" __global__ void cast_f32_f64(const float* in, i64 si, double* out, i64 so, i64 n) { cast_impl(in, si, out, so, n); }
extern "C" __global__ void cast_f64_f32(const double* in, i64 si, float* out, i64 so, i64 n) { cast_impl(in, si, out, so, n); }
extern "C" __global__ void cast_f64_f64(const double* in, i64 si, double* out, i64 so, i64 n) { cast_impl(in, si, out, so, n); }

// ---- unary -------------------------------------------------------------------------------------

// Op codes: the Java side maps org.opforge.tensor.backend.UnaryOp by name to these numbers.
enum {
    U_NEG = 0, U_ABS, U_SIGN, U_EXP, U_EXPM1, U_LOG, U_SQRT, U_RSQRT, U_RECIPROCAL, U_SQUARE,
    U_SIN, U_COS, U_TANH, U_SIGMOID, U_ERF, U_RELU, U_STEP, U_NORMAL_CDF, U_NORMAL_PDF, U_GELU,
    U_GELU_GRAD, U_SOFTPLUS, U_POW_SCALAR, U_ADD_SCALAR, U_MUL_SCALAR, U_CLAMP_MIN, U_CLAMP_MAX, U_GT_SCALAR
};

__device__ double unary_op(int op, double x, double p) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_SIGN: return x > 0 ? 1.0 : (x < 0 ? -1.0 : x);  // Math.signum keeps +-0 and NaN
        case U_EXP: return exp(x);
        case U_EXPM1: return expm1(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return 1.0 / sqrt(x);
        case U_RECIPROCAL: return 1.0 / x;
        case U_SQUARE: return x * x;
        case U_SIN: return sin(x);
        case U_COS: return cos(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
        case U_ERF: return erf(x);
        case U_RELU: return jmax(x, 0.0);  // max(x, 0): NaN stays NaN, as in PyTorch
        case U_STEP: return x > 0 ? 1.0 : 0.0;
        case U_NORMAL_CDF: return 0.5 * erfc(-x * INV_SQRT2);
        case U_NORMAL_PDF: return exp(-0.5 * x * x) * INV_SQRT_2PI;
        case U_GELU: return x * 0.5 * erfc(-x * INV_SQRT2);
        case U_GELU_GRAD: return 0.5 * erfc(-x * INV_SQRT2) + x * exp(-0.5 * x * x) * INV_SQRT_2PI;
        case U_SOFTPLUS: return x > p ? x : log1p(exp(x));
        case U_POW_SCALAR: return pow(x, p);
        case U_ADD_SCALAR: return x + p;
        case U_MUL_SCALAR: return x * p;
        case U_CLAMP_MIN: return jmax(x, p);
        case U_CLAMP_MAX: return jmin(x, p);
        case U_GT_SCALAR: return x > p ? 1.0 : 0.0;
        default: return __longlong_as_double(0x7ff8dead00000000LL);  // unknown op: a marked NaN
    }
}

template <typename T> __device__ void unary_impl(const T* x, T* out, i64 n, int op, double p) {
    for (i64 i = gtid(); i < n; i += gstride()) out[i] = (T)unary_op(op, (double)x[i], p);
}
extern "C" __global__ void unary_f32(const float* x, float* out, i64 n, int op, double p) { unary_impl(x, out, n, op, p); }
extern "C" __global__ void unary_f64(const double* x, double* out, i64 n, int op, double p) { unary_impl(x, out, n, op, p); }

// ---- binary ------------------------------------------------------------------------------------

enum { B_ADD = 0, B_SUB, B_MUL, B_DIV, B_POW, B_MAX, B_MIN, B_GT, B_EQ, B_RELU_GRAD };

template <typename T> __device__ __forceinline__ T binary_op(int op, T a, T b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return (T)pow((double)a, (double)b);
        case B_MAX: return jmax(a, b);
        case B_MIN: return jmin(a, b);
        case B_GT: return a > b ? (T)1 : (T)0;
        case B_EQ: return a == b ? (T)1 : (T)0;
        case B_RELU_GRAD: return a * (b > (T)0 ? (T)1 : b <= (T)0 ? (T)0 : b);
        default: return (T)__longlong_as_double(0x7ff8dead00000000LL);
    }
}

// out[i] = op(a[aOff + idx.st0], b[bOff + idx.st1]) for the multi-index idx of linear i; out contiguous.
template <typename T>
__device__ void binary_impl(const T* a, i64 aOff, const T* b, i64 bOff, T* out, i64 n, int op, const Strided2& d) {
    bool small = n < 0x7fffffffLL;
    for (i64 i = gtid(); i < n; i += gstride()) {
        i64 oa, ob;
        strided_offsets(i, d, small, oa, ob);
        out[i] = binary_op(op, a[aOff + oa], b[bOff + ob]);
    }
}
extern "C" __global__ void binary_f32(const float* a, i64 aOff, const float* b, i64 bOff, float* out, i64 n, int op, Strided2 d) {
    binary_impl(a, aOff, b, bOff, out, n, op, d);
}
extern "C" __global__ void binary_f64(const double* a, i64 aOff, const double* b, i64 bOff, double* out, i64 n, int op, Strided2 d) {
    binary_impl(a, aOff, b, bOff, out, n, op, d);
}

// Complex ADD, SUB, MUL, DIV on interleaved storage; products and quotients in double (as the CPU
// backend), rounded once.
template <typename T>
__device__ void cbinary_impl(const T* a, i64 aOff, const T* b, i64 bOff, T* out, i64 n, int op, const Strided2& d) {
    bool small = n < 0x7fffffffLL;
    for (i64 i = gtid(); i < n; i += gstride()) {
        i64 oa, ob;
        strided_offsets(i, d, small, oa, ob);
        i64 pa = 2 * (aOff + oa), pb = 2 * (bOff + ob);
        double ar = a[pa], ai = a[pa + 1], br = b[pb], bi = b[pb + 1], re, im;
        switch (op) {
            case B_ADD: re = ar + br; im = ai + bi; break;
            case B_SUB: re = ar - br; im = ai - bi; break;
            case B_MUL: re = ar * br - ai * bi; im = ar * bi + ai * br; break;
            default: {
                double den = br * br + bi * bi;
                re = (ar * br + ai * bi) / den;
                im = (ai * br - ar * bi) / den;
            }
        }
        out[2 * i] = (T)re;
        out[2 * i + 1] = (T)im;
    }
}
extern "C" __global__ void binary_c64(const float* a, i64 aOff, const float* b, i64 bOff, float* out, i64 n, int op, Strided2 d) {
    cbinary_impl(a, aOff, b, bOff, out, n, op, d);
}
extern "C" __global__ void binary_c128(const double* a, i64 aOff, const double* b, i64 bOff, double* out, i64 n, int op, Strided2 d) {
    cbinary_impl(a, aOff, b, bOff, out, n, op, d);
}

// ---- complex parts -----------------------------------------------------------------------------

template <typename T> __device__ void cparts_impl(const T* z, T* re, T* im, i64 n) {
    for (i64 i = gtid(); i < n; i += gstride()) { re[i] = z[2 * i]; im[i] = z[2 * i + 1]; }
}
template <typename T> __device__ void ccombine_impl(const T* re, const T* im, T* z, i64 n) {
    for (i64 i = gtid(); i < n; i += gstride()) { z[2 * i] = re[i]; z[2 * i + 1] = im[i]; }
}
template <typename T> __device__ void conj_impl(const T* z, T* out, i64 n) {
    for (i64 i = gtid(); i < n; i += gstride()) { out[2 * i] = z[2 * i]; out[2 * i + 1] = -z[2 * i + 1]; }
}
extern "C" __global__ void cparts_f32(const float* z, float* re, float* im, i64 n) { cparts_impl(z, re, im, n); }
extern "C" __global__ void cparts_f64(const double* z, double* re, double* im, i64 n) { cparts_impl(z, re, im, n); }
extern "C" __global__ void ccombine_f32(const float* re, const float* im, float* z, i64 n) { ccombine_impl(re, im, z, n); }
extern "C" __global__ void ccombine_f64(const double* re, const double* im, double* z, i64 n) { ccombine_impl(re, im, z, n); }
extern "C" __global__ void conj_f32(const float* z, float* out, i64 n) { conj_impl(z, out, n); }
extern "C" __global__ void conj_f64(const double* z, double* out, i64 n) { conj_impl(z, out, n); }

// ---- strided copy / accumulate -----------------------------------------------------------------

// dst[dOff + idx.st1] = src[sOff + idx.st0], element type W (4, 8 or 16 bytes: the dtype's width).
template <typename W> __device__ void copy_strided_impl(const W* src, i64 sOff, W* dst, i64 dOff, i64 n, const Strided2& d) {
    bool small = n < 0x7fffffffLL;
    for (i64 i = gtid(); i < n; i += gstride()) {
        i64 os, od;
        strided_offsets(i, d, small, os, od);
        dst[dOff + od] = src[sOff + os];
    }
}
extern "C" __global__ void copy_strided_b4(const unsigned int* src, i64 sOff, unsigned int* dst, i64 dOff, i64 n, Strided2 d) {
    copy_strided_impl(src, sOff, dst, dOff, n, d);
}
extern "C" __global__ void copy_strided_b8(const u64* src, i64 sOff, u64* dst, i64 dOff, i64 n, Strided2 d) {
    copy_strided_impl(src, sOff, dst, dOff, n, d);
}
extern "C" __global__ void copy_strided_b16(const ulonglong2* src, i64 sOff, ulonglong2* dst, i64 dOff, i64 n, Strided2 d) {
    copy_strided_impl(src, sOff, dst, dOff, n, d);
}

// dst[...] += src[...] in real slots: w = 1 (real) or 2 (complex); destinations are distinct.
template <typename T> __device__ void add_strided_impl(const T* src, i64 sOff, T* dst, i64 dOff, i64 n, i64 w, const Strided2& d) {
    bool small = n < 0x7fffffffLL;
    for (i64 i = gtid(); i < n; i += gstride()) {
        i64 os, od;
        strided_offsets(i, d, small, os, od);
        i64 s = (sOff + os) * w, t = (dOff + od) * w;
        dst[t] += src[s];
        if (w == 2) dst[t + 1] += src[s + 1];
    }
}
extern "C" __global__ void add_strided_f32(const float* src, i64 sOff, float* dst, i64 dOff, i64 n, i64 w, Strided2 d) {
    add_strided_impl(src, sOff, dst, dOff, n, w, d);
}
extern "C" __global__ void add_strided_f64(const double* src, i64 sOff, double* dst, i64 dOff, i64 n, i64 w, Strided2 d) {
    add_strided_impl(src, sOff, dst, dOff, n, w, d);
}

// ---- gather / scatter-add ----------------------------------------------------------------------

// With w real slots per (outer, axis) cell: out[(a*nidx + j)*w + c] = src[(a*axis + index[j])*w + c].
template <typename T>
__device__ void gather_impl(const T* src, T* out, const int* index, i64 outer, i64 axis, i64 nidx, i64 w) {
    i64 total = outer * nidx * w;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 c = e % w, r = e / w, j = r % nidx, a = r / nidx;
        out[e] = src[(a * axis + index[j]) * w + c];
    }
}
extern "C" __global__ void gather_f32(const float* src, float* out, const int* index, i64 outer, i64 axis, i64 nidx, i64 w) {
    gather_impl(src, out, index, outer, axis, nidx, w);
}
extern "C" __global__ void gather_f64(const double* src, double* out, const int* index, i64 outer, i64 axis, i64 nidx, i64 w) {
    gather_impl(src, out, index, outer, axis, nidx, w);
}

// dst[(a*axis + index[j])*w + c] += src[(a*nidx + j)*w + c]; repeated indices accumulate atomically.
template <typename T>
__device__ void scatter_add_impl(const T* src, T* dst, const int* index, i64 outer, i64 axis, i64 nidx, i64 w) {
    i64 total = outer * nidx * w;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 c = e % w, r = e / w, j = r % nidx, a = r / nidx;
        atomicAdd(&dst[(a * axis + index[j]) * w + c], src[e]);
    }
}
extern "C" __global__ void scatter_add_f32(const float* src, float* dst, const int* index, i64 outer, i64 axis, i64 nidx, i64 w) {
    scatter_add_impl(src, dst, index, outer, axis, nidx, w);
}
extern "C" __global__ void scatter_add_f64(const double* src, double* dst, const int* index, i64 outer, i64 axis, i64 nidx, i64 w) {
    scatter_add_impl(src, dst, index, outer, axis, nidx, w);
}

// ---- counter-based random fills (org.opforge.tensor.Rng, bit for bit) ----------------------------

__device__ __forceinline__ u64 splitmix(u64 z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
__device__ __forceinline__ double rng_uniform(u64 seed, u64 counter) {
    u64 bits = splitmix(seed + (counter + 1ULL) * 0x9E3779B97F4A7C15ULL);
    return (double)(bits >> 11) * 0x1.0p-53;
}
// Box-Muller over the counter pair (2j, 2j+1): each value is a function of its own counter.
__device__ __forceinline__ double rng_normal(u64 seed, u64 counter) {
    u64 pair = counter & ~1ULL;
    double u1 = 1.0 - rng_uniform(seed, pair);
    double u2 = rng_uniform(seed, pair + 1);
    double r = sqrt(-2.0 * log(u1));
    double t = 2.0 * 3.14159265358979323846 * u2;
    return (counter & 1ULL) == 0 ? r * cos(t) : r * sin(t);
}

// Slot i (real slots, so complex buffers draw re and im from consecutive counters) gets counter + i.
template <typename T> __device__ void uniform_impl(T* out, i64 slots, i64 seed, i64 counter, double low, double high) {
    for (i64 i = gtid(); i < slots; i += gstride()) out[i] = (T)(low + (high - low) * rng_uniform((u64)seed, (u64)(counter + i)));
}
template <typename T> __device__ void normal_impl(T* out, i64 slots, i64 seed, i64 counter, double mean, double std) {
    for (i64 i = gtid(); i < slots; i += gstride()) out[i] = (T)(mean + std * rng_normal((u64)seed, (u64)(counter + i)));
}
extern "C" __global__ void rand_uniform_f32(float* out, i64 slots, i64 seed, i64 counter, double low, double high) {
    uniform_impl(out, slots, seed, counter, low, high);
}
extern "C" __global__ void rand_uniform_f64(double* out, i64 slots, i64 seed, i64 counter, double low, double high) {
    uniform_impl(out, slots, seed, counter, low, high);
}
extern "C" __global__ void rand_normal_f32(float* out, i64 slots, i64 seed, i64 counter, double mean, double std) {
    normal_impl(out, slots, seed, counter, mean, std);
}
extern "C" __global__ void rand_normal_f64(double* out, i64 slots, i64 seed, i64 counter, double mean, double std) {
    normal_impl(out, slots, seed, counter, mean, std);
}
