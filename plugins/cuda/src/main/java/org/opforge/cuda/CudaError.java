package org.opforge.cuda;

import jcuda.driver.CUresult;

/** A CUDA driver call that returned an error: the call, the result code and its name. */
final class CudaError extends RuntimeException {
    final int code;

    CudaError(String call, int code) {
        super(call + " failed: " + CUresult.stringFor(code) + " (" + code + ")");
        this.code = code;
    }

    /** The driver's name of the result code ("CUDA_ERROR_NO_DEVICE"). */
    String codeName() {
        return CUresult.stringFor(code);
    }

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) throw new CudaError(call, result);
    }
}
