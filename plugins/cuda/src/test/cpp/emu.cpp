// JNI library of the kernel emulator (see emu_shim.h): device memory is host memory, a launch runs
// the named kernel over its grid. Loaded by the test class org.opforge.cuda.EmuDriver.
#include "emu_shim.h"
#include <jni.h>
#include <stdlib.h>
#include <ucontext.h>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "elementwise.cu"
#include "reduce.cu"
#include "gemm.cu"
#include "fft.cu"
#include "conv.cu"

dim3 threadIdx, blockIdx, blockDim, gridDim;
unsigned char* emu_dyn_smem;

namespace {

typedef void (*Invoker)(void* fn, void** args);

template <typename... A, size_t... I> void invoke_impl(void (*f)(A...), void** args, std::index_sequence<I...>) {
    f(*reinterpret_cast<A*>(args[I])...);
}
template <typename... A> void invoke(void* fn, void** args) {
    invoke_impl(reinterpret_cast<void (*)(A...)>(fn), args, std::index_sequence_for<A...>{});
}
template <typename... A> std::pair<void*, Invoker> entry(void (*f)(A...)) {
    return {reinterpret_cast<void*>(f), &invoke<A...>};
}

struct Kernel { void* fn; Invoker call; bool barrier; };

std::unordered_map<std::string, Kernel>& registry() {
    static std::unordered_map<std::string, Kernel> r;
    if (!r.empty()) return r;
#define K(name) { auto e = entry(name); std::string n(#name); \
        bool b = n.rfind("gemm_", 0) == 0 || n.rfind("reduce_block_", 0) == 0 || n.rfind("fft_smem_", 0) == 0; \
        r[n] = Kernel{e.first, e.second, b}; }
    K(fill_f32) K(fill_f64) K(cast_f32_f32) K(cast_f32_f64) K(cast_f64_f32) K(cast_f64_f64)
    K(unary_f32) K(unary_f64) K(binary_f32) K(binary_f64) K(binary_c64) K(binary_c128)
    K(cparts_f32) K(cparts_f64) K(ccombine_f32) K(ccombine_f64) K(conj_f32) K(conj_f64)
    K(copy_strided_b4) K(copy_strided_b8) K(copy_strided_b16) K(add_strided_f32) K(add_strided_f64)
    K(gather_f32) K(gather_f64) K(scatter_add_f32) K(scatter_add_f64)
    K(rand_uniform_f32) K(rand_uniform_f64) K(rand_normal_f32) K(rand_normal_f64)
    K(reduce_thread_f32) K(reduce_thread_f64) K(reduce_block_f32) K(reduce_block_f64) K(reduce_finish_f32) K(reduce_finish_f64)
    K(gemm_f32_nn) K(gemm_f32_nt) K(gemm_f32_tn) K(gemm_f32_tt) K(gemm_f64_nn) K(gemm_f64_nt) K(gemm_f64_tn) K(gemm_f64_tt)
    K(gemm_c64_nn) K(gemm_c64_nt) K(gemm_c64_tn) K(gemm_c64_tt) K(gemm_c128_nn) K(gemm_c128_nt) K(gemm_c128_tn) K(gemm_c128_tt)
    K(fft_smem_f32) K(fft_smem_f64) K(fft_load_f32) K(fft_load_f64) K(fft_stockham_f32) K(fft_stockham_f64)
    K(fft_pointwise_f32) K(fft_pointwise_f64) K(fft_store_f32) K(fft_store_f64) K(channel_mix_c64) K(channel_mix_c128)
    K(im2col_f32) K(im2col_f64) K(col2im_f32) K(col2im_f64) K(maxpool_f32) K(maxpool_f64) K(maxpool_adjoint_f32) K(maxpool_adjoint_f64)
    K(avgpool_f32) K(avgpool_f64) K(avgpool_adjoint_f32) K(avgpool_adjoint_f64)
    K(resample_f32) K(resample_f64) K(resample_adjoint_f32) K(resample_adjoint_f64)
#undef K
    return r;
}

// ---- fibers for kernels with barriers ----
const size_t STACK = 64 * 1024;
struct Fiber { ucontext_t ctx; char* stack; bool done; };
std::vector<Fiber> fibers;
ucontext_t scheduler;
int current;
const Kernel* running;
void** running_args;
bool in_fiber;

void fiber_main() {
    running->call(running->fn, running_args);
    fibers[current].done = true;
    swapcontext(&fibers[current].ctx, &scheduler);
}

void run_block_fibers(int threads) {
    if ((int)fibers.size() < threads) {
        size_t old = fibers.size();
        fibers.resize(threads);
        for (size_t i = old; i < fibers.size(); i++) fibers[i].stack = (char*)malloc(STACK);
    }
    for (int i = 0; i < threads; i++) {
        Fiber& f = fibers[i];
        getcontext(&f.ctx);
        f.ctx.uc_stack.ss_sp = f.stack;
        f.ctx.uc_stack.ss_size = STACK;
        f.ctx.uc_link = nullptr;
        makecontext(&f.ctx, fiber_main, 0);
        f.done = false;
    }
    in_fiber = true;
    for (bool alive = true; alive;) {
        alive = false;
        for (int i = 0; i < threads; i++) {
            if (fibers[i].done) continue;
            current = i;
            threadIdx = dim3{(unsigned)i, 0, 0};
            swapcontext(&scheduler, &fibers[i].ctx);
            if (!fibers[i].done) alive = true;
        }
    }
    in_fiber = false;
}

std::string launch(const std::string& name, int gx, int gy, int gz, int block, int smem, void** args) {
    auto it = registry().find(name);
    if (it == registry().end()) return "emulator: unknown kernel " + name;
    const Kernel& k = it->second;
    std::vector<unsigned char> dyn((size_t)smem + 16);
    emu_dyn_smem = (unsigned char*)(((uintptr_t)dyn.data() + 15) & ~(uintptr_t)15);
    gridDim = dim3{(unsigned)gx, (unsigned)gy, (unsigned)gz};
    blockDim = dim3{(unsigned)block, 1, 1};
    running = &k;
    running_args = args;
    for (int z = 0; z < gz; z++)
        for (int y = 0; y < gy; y++)
            for (int x = 0; x < gx; x++) {
                blockIdx = dim3{(unsigned)x, (unsigned)y, (unsigned)z};
                if (k.barrier) {
                    run_block_fibers(block);
                } else {
                    for (int t = 0; t < block; t++) {
                        threadIdx = dim3{(unsigned)t, 0, 0};
                        k.call(k.fn, args);
                    }
                }
            }
    return "";
}

}  // namespace

void emu_syncthreads() {
    if (!in_fiber) abort();  // a kernel with a barrier must be registered as such
    swapcontext(&fibers[current].ctx, &scheduler);
}

extern "C" {

JNIEXPORT jlong JNICALL Java_org_opforge_cuda_EmuDriver_nMalloc(JNIEnv*, jclass, jlong bytes) {
    size_t n = ((size_t)bytes + 255) & ~(size_t)255;
    return (jlong)(uintptr_t)aligned_alloc(256, n);
}

JNIEXPORT void JNICALL Java_org_opforge_cuda_EmuDriver_nFree(JNIEnv*, jclass, jlong p) { free((void*)(uintptr_t)p); }

JNIEXPORT void JNICALL Java_org_opforge_cuda_EmuDriver_nMemset(JNIEnv*, jclass, jlong p, jlong bytes) {
    memset((void*)(uintptr_t)p, 0, (size_t)bytes);
}

JNIEXPORT void JNICALL Java_org_opforge_cuda_EmuDriver_nCopyIn(JNIEnv* env, jclass, jlong p, jobject array, jlong bytes) {
    void* a = env->GetPrimitiveArrayCritical((jarray)array, nullptr);
    memcpy((void*)(uintptr_t)p, a, (size_t)bytes);
    env->ReleasePrimitiveArrayCritical((jarray)array, a, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_org_opforge_cuda_EmuDriver_nCopyOut(JNIEnv* env, jclass, jlong p, jobject array, jlong bytes) {
    void* a = env->GetPrimitiveArrayCritical((jarray)array, nullptr);
    memcpy(a, (void*)(uintptr_t)p, (size_t)bytes);
    env->ReleasePrimitiveArrayCritical((jarray)array, a, 0);
}

JNIEXPORT jstring JNICALL Java_org_opforge_cuda_EmuDriver_nLaunch(JNIEnv* env, jclass, jstring jname, jint gx, jint gy, jint gz,
                                                                jint block, jint smem, jbyteArray params, jintArray offsets) {
    const char* cname = env->GetStringUTFChars(jname, nullptr);
    std::string name(cname);
    env->ReleaseStringUTFChars(jname, cname);
    jsize nbytes = env->GetArrayLength(params), nargs = env->GetArrayLength(offsets);
    std::vector<unsigned char> raw((size_t)nbytes + 16);
    unsigned char* buf = (unsigned char*)(((uintptr_t)raw.data() + 15) & ~(uintptr_t)15);
    env->GetByteArrayRegion(params, 0, nbytes, (jbyte*)buf);
    std::vector<jint> off(nargs);
    env->GetIntArrayRegion(offsets, 0, nargs, off.data());
    std::vector<void*> args(nargs);
    for (int i = 0; i < nargs; i++) args[i] = buf + off[i];
    std::string err = launch(name, gx, gy, gz, block, smem, args.data());
    return err.empty() ? nullptr : env->NewStringUTF(err.c_str());
}

}  // extern "C"
