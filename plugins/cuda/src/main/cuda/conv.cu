// Convolution, pooling and resampling kernels (org.opforge.tensor.backend.ConvKernels). A geometry
// is normalized to three spatial axes (D, H, W), leading axes of size 1, like the CPU backend's
// WindowPlan: output position o and kernel offset j read input i = o*s - p + j*d, zero outside the
// input or wrapped (mod n) when circular. Adjoint kernels accumulate with atomics because windows
// overlap; the order of the float additions is therefore not fixed.
#include "common.cuh"

// 19 int32 words: sizes n, outputs o, kernel k, stride s, padding p, dilation d (each D, H, W), circular.
struct Geo {
    int n[3], o[3], k[3], s[3], p[3], d[3];
    int circular;
};

__device__ __forceinline__ int in_index(const Geo& g, int a, int o, int j) {
    int i = o * g.s[a] - g.p[a] + j * g.d[a];
    if (g.circular) {
        int n = g.n[a];
        i %= n;
        return i < 0 ? i + n : i;
    }
    return (i < 0 || i >= g.n[a]) ? -1 : i;
}

// Input position (within a plane) read by kernel offset j at output position l, or -1 in zero padding.
__device__ __forceinline__ int window_pos(const Geo& g, int j, int l) {
    int jw = j % g.k[2], jh = (j / g.k[2]) % g.k[1], jd = j / (g.k[2] * g.k[1]);
    int ow = l % g.o[2], oh = (l / g.o[2]) % g.o[1], od = l / (g.o[2] * g.o[1]);
    int id = in_index(g, 0, od, jd), ih = in_index(g, 1, oh, jh), iw = in_index(g, 2, ow, jw);
    if (id < 0 || ih < 0 || iw < 0) return -1;
    return (id * g.n[1] + ih) * g.n[2] + iw;
}

__device__ __forceinline__ int vol(const int* v) { return v[0] * v[1] * v[2]; }

// cols[colsOff + q*colsBS + (c*K + j)*ld + l] = x[xOff + (q*C + c)*inVol + i(l, j)] (0 in padding).
template <typename T>
__device__ void im2col_impl(const T* x, i64 xOff, i64 batch, i64 channels, const Geo& g, T* cols, i64 colsOff, i64 colsBS, i64 ld) {
    const i64 K = vol(g.k), L = vol(g.o), inVol = vol(g.n);
    const i64 total = batch * channels * K * L;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 l = e % L, r = e / L, j = r % K, qc = r / K, c = qc % channels, q = qc / channels;
        int pos = window_pos(g, (int)j, (int)l);
        cols[colsOff + q * colsBS + (c * K + j) * ld + l] = pos < 0 ? (T)0 : x[xOff + qc * inVol + pos];
    }
}
// Adjoint: x[...] += cols[...], padding positions dropped.
template <typename T>
__device__ void col2im_impl(const T* cols, i64 colsOff, i64 colsBS, i64 ld, i64 batch, i64 channels, const Geo& g, T* x, i64 xOff) {
    const i64 K = vol(g.k), L = vol(g.o), inVol = vol(g.n);
    const i64 total = batch * channels * K * L;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 l = e % L, r = e / L, j = r % K, qc = r / K, c = qc % channels, q = qc / channels;
        int pos = window_pos(g, (int)j, (int)l);
        if (pos >= 0) atomicAdd(&x[xOff + qc * inVol + pos], cols[colsOff + q * colsBS + (c * K + j) * ld + l]);
    }
}
extern "C" __global__ void im2col_f32(const float* x, i64 xOff, i64 batch, i64 channels, Geo g, float* cols, i64 colsOff, i64 colsBS, i64 ld) {
    im2col_impl(x, xOff, batch, channels, g, cols, colsOff, colsBS, ld);
}
extern "C" __global__ void im2col_f64(const double* x, i64 xOff, i64 batch, i64 channels, Geo g, double* cols, i64 colsOff, i64 colsBS, i64 ld) {
    im2col_impl(x, xOff, batch, channels, g, cols, colsOff, colsBS, ld);
}
extern "C" __global__ void col2im_f32(const float* cols, i64 colsOff, i64 colsBS, i64 ld, i64 batch, i64 channels, Geo g, float* x, i64 xOff) {
    col2im_impl(cols, colsOff, colsBS, ld, batch, channels, g, x, xOff);
}
extern "C" __global__ void col2im_f64(const double* cols, i64 colsOff, i64 colsBS, i64 ld, i64 batch, i64 channels, Geo g, double* x, i64 xOff) {
    col2im_impl(cols, colsOff, colsBS, ld, batch, channels, g, x, xOff);
}

// Position of the window maximum of key (first on ties, a NaN wins and stays); -1 when all padding.
template <typename T> __device__ __forceinline__ int argmax_window(const T* key, const Geo& g, int l) {
    const int K = vol(g.k);
    int best = -1;
    T bestV = 0;
    for (int j = 0; j < K; j++) {
        int pos = window_pos(g, j, l);
        if (pos < 0) continue;
        T v = key[pos];
        if (best < 0 || v > bestV || (v != v && bestV == bestV)) {
            best = pos;
            bestV = v;
        }
    }
    return best;
}

template <typename T> __device__ void maxpool_impl(const T* key, const T* values, i64 planes, const Geo& g, T* out) {
    const i64 L = vol(g.o), inVol = vol(g.n), total = planes * L;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 p = e / L, l = e - p * L;
        int m = argmax_window(key + p * inVol, g, (int)l);
        out[e] = m < 0 ? (T)0 : values[p * inVol + m];
    }
}
template <typename T> __device__ void maxpool_adjoint_impl(const T* key, const T* grad, i64 planes, const Geo& g, T* out) {
    const i64 L = vol(g.o), inVol = vol(g.n), total = planes * L;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 p = e / L, l = e - p * L;
        int m = argmax_window(key + p * inVol, g, (int)l);
        if (m >= 0) atomicAdd(&out[p * inVol + m], grad[e]);
    }
}
extern "C" __global__ void maxpool_f32(const float* key, const float* values, i64 planes, Geo g, float* out) { maxpool_impl(key, values, planes, g, out); }
extern "C" __global__ void maxpool_f64(const double* key, const double* values, i64 planes, Geo g, double* out) { maxpool_impl(key, values, planes, g, out); }
extern "C" __global__ void maxpool_adjoint_f32(const float* key, const float* grad, i64 planes, Geo g, float* out) {
    maxpool_adjoint_impl(key, grad, planes, g, out);
}
extern "C" __global__ void maxpool_adjoint_f64(const double* key, const double* grad, i64 planes, Geo g, double* out) {
    maxpool_adjoint_impl(key, grad, planes, g, out);
}

// Divisor of output l: the kernel volume (countIncludePad) or the number of window positions inside.
__device__ __forceinline__ int avg_divisor(const Geo& g, int l, int countIncludePad) {
    const int K = vol(g.k);
    if (countIncludePad) return K;
    int count = 0;
    for (int j = 0; j < K; j++) if (window_pos(g, j, l) >= 0) count++;
    return count;
}

template <typename T> __device__ void avgpool_impl(const T* x, i64 planes, const Geo& g, int countIncludePad, T* out) {
    const i64 L = vol(g.o), inVol = vol(g.n), total = planes * L;
    const int K = vol(g.k);
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 p = e / L, l = e - p * L;
        double sum = 0;
        int count = 0;
        for (int j = 0; j < K; j++) {
            int pos = window_pos(g, j, (int)l);
            if (pos < 0) continue;
            sum += (double)x[p * inVol + pos];
            count++;
        }
        out[e] = count == 0 ? (T)0 : (T)(sum / (countIncludePad ? K : count));
    }
}
template <typename T> __device__ void avgpool_adjoint_impl(const T* grad, i64 planes, const Geo& g, int countIncludePad, T* out) {
    const i64 L = vol(g.o), inVol = vol(g.n), total = planes * L;
    const int K = vol(g.k);
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 p = e / L, l = e - p * L;
        int div = avg_divisor(g, (int)l, countIncludePad);
        if (div == 0) continue;
        T share = (T)((double)grad[e] / div);
        for (int j = 0; j < K; j++) {
            int pos = window_pos(g, j, (int)l);
            if (pos >= 0) atomicAdd(&out[p * inVol + pos], share);
        }
    }
}
extern "C" __global__ void avgpool_f32(const float* x, i64 planes, Geo g, int countIncludePad, float* out) { avgpool_impl(x, planes, g, countIncludePad, out); }
extern "C" __global__ void avgpool_f64(const double* x, i64 planes, Geo g, int countIncludePad, double* out) { avgpool_impl(x, planes, g, countIncludePad, out); }
extern "C" __global__ void avgpool_adjoint_f32(const float* grad, i64 planes, Geo g, int countIncludePad, float* out) {
    avgpool_adjoint_impl(grad, planes, g, countIncludePad, out);
}
extern "C" __global__ void avgpool_adjoint_f64(const double* grad, i64 planes, Geo g, int countIncludePad, double* out) {
    avgpool_adjoint_impl(grad, planes, g, countIncludePad, out);
}

// PyTorch's source coordinate (ConvKernels.sourceCoordinate) and the two taps with their weights.
__device__ __forceinline__ void taps(i64 t, i64 inSize, i64 outSize, int alignCorners, i64& i0, i64& i1, double& w) {
    double s;
    if (alignCorners) s = outSize > 1 ? t * (double)(inSize - 1) / (double)(outSize - 1) : 0.0;
    else s = fmax(0.0, (t + 0.5) * (double)inSize / (double)outSize - 0.5);
    i64 a = (i64)floor(s);
    if (a > inSize - 1) a = inSize - 1;
    w = fmin(fmax(s - (double)a, 0.0), 1.0);
    i0 = a;
    i1 = a + 1 < inSize - 1 ? a + 1 : inSize - 1;
}

// out[o, t, i] = (1 - w) x[o, i0, i] + w x[o, i1, i] over (outer, outSize, inner).
template <typename T>
__device__ void resample_impl(const T* x, i64 outer, i64 inSize, i64 inner, i64 outSize, int alignCorners, T* out) {
    const i64 total = outer * outSize * inner;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 i = e % inner, r = e / inner, t = r % outSize, o = r / outSize, i0, i1;
        double w;
        taps(t, inSize, outSize, alignCorners, i0, i1, w);
        T w0 = (T)(1.0 - w), w1 = (T)w;
        out[e] = w0 * x[(o * inSize + i0) * inner + i] + w1 * x[(o * inSize + i1) * inner + i];
    }
}
// Adjoint: grad (outer, outSize, inner) spread onto out (outer, inSize, inner).
template <typename T>
__device__ void resample_adjoint_impl(const T* grad, i64 outer, i64 outSize, i64 inner, i64 inSize, int alignCorners, T* out) {
    const i64 total = outer * outSize * inner;
    for (i64 e = gtid(); e < total; e += gstride()) {
        i64 i = e % inner, r = e / inner, t = r % outSize, o = r / outSize, i0, i1;
        double w;
        taps(t, inSize, outSize, alignCorners, i0, i1, w);
        T w0 = (T)(1.0 - w), w1 = (T)w, gv = grad[e];
        atomicAdd(&out[(o * inSize + i0) * inner + i], w0 * gv);
        atomicAdd(&out[(o * inSize + i1) * inner + i], w1 * gv);
    }
}
extern "C" __global__ void resample_f32(const float* x, i64 outer, i64 inSize, i64 inner, i64 outSize, int alignCorners, float* out) {
    resample_impl(x, outer, inSize, inner, outSize, alignCorners, out);
}
extern "C" __global__ void resample_f64(const double* x, i64 outer, i64 inSize, i64 inner, i64 outSize, int alignCorners, double* out) {
    resample_impl(x, outer, inSize, inner, outSize, alignCorners, out);
}
extern "C" __global__ void resample_adjoint_f32(const float* grad, i64 outer, i64 outSize, i64 inner, i64 inSize, int alignCorners, float* out) {
    resample_adjoint_impl(grad, outer, outSize, inner, inSize, alignCorners, out);
}
extern "C" __global__ void resample_adjoint_f64(const double* grad, i64 outer, i64 outSize, i64 inner, i64 inSize, int alignCorners, double* out) {
    resample_adjoint_impl(grad, outer, outSize, inner, inSize, alignCorners, out);
}
