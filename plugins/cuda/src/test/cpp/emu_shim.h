// Host emulation of the CUDA device API used by src/main/cuda, for the tests only: the kernels are
// compiled as plain C++ (g++ -include emu_shim.h) and run block by block on one host thread. Threads of
// a block are ucontext fibers when the kernel synchronizes (__syncthreads switches back to the
// scheduler, which resumes every fiber up to the next barrier), or plain calls in turn otherwise.
// Atomics need no locking because nothing runs concurrently.
#pragma once
#include <math.h>
#include <stdint.h>
#include <string.h>

struct dim3 { unsigned int x, y, z; };
extern dim3 threadIdx, blockIdx, blockDim, gridDim;
extern unsigned char* emu_dyn_smem;
void emu_syncthreads();

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))
#define OPF_DYNAMIC_SMEM(name) unsigned char* name = emu_dyn_smem
#define __syncthreads() emu_syncthreads()

struct __attribute__((aligned(8))) float2 { float x, y; };
struct __attribute__((aligned(16))) double2 { double x, y; };
struct __attribute__((aligned(16))) ulonglong2 { unsigned long long x, y; };
inline float2 make_float2(float x, float y) { return float2{x, y}; }
inline double2 make_double2(double x, double y) { return double2{x, y}; }

template <typename T> inline T min(T a, T b) { return a < b ? a : b; }
template <typename T> inline T max(T a, T b) { return a > b ? a : b; }

inline unsigned int __brev(unsigned int v) {
    unsigned int r = 0;
    for (int i = 0; i < 32; i++) { r = (r << 1) | (v & 1u); v >>= 1; }
    return r;
}
inline double __longlong_as_double(long long v) { double d; memcpy(&d, &v, 8); return d; }
inline float atomicAdd(float* p, float v) { float old = *p; *p = old + v; return old; }
inline double atomicAdd(double* p, double v) { double old = *p; *p = old + v; return old; }
