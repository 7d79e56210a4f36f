package org.opforge.tensor.cpu;

import org.opforge.tensor.backend.BinaryOp;
import org.opforge.tensor.backend.UnaryOp;

/** Scalar definitions of the element-wise kernels, evaluated in double precision. */
final class ScalarMath {
    private ScalarMath() {}

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    static double unary(UnaryOp op, double x, double p) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case ERF -> erf(x);
            case RELU -> x > 0 ? x : 0.0;
            case STEP -> x > 0 ? 1.0 : 0.0;
            case NORMAL_CDF -> 0.5 * erfc(-x * INV_SQRT2);
            case NORMAL_PDF -> Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            case GELU -> x * 0.5 * erfc(-x * INV_SQRT2);
            case GELU_GRAD -> 0.5 * erfc(-x * INV_SQRT2) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            case SOFTPLUS -> x > p ? x : Math.log1p(Math.exp(x));
            case POW_SCALAR -> Math.pow(x, p);
            case ADD_SCALAR -> x + p;
            case MUL_SCALAR -> x * p;
            case CLAMP_MIN -> Math.max(x, p);
            case CLAMP_MAX -> Math.min(x, p);
            case GT_SCALAR -> x > p ? 1.0 : 0.0;
        };
    }

    static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1.0 : 0.0;
            case EQ -> a == b ? 1.0 : 0.0;
            case RELU_GRAD -> a * (b > 0 ? 1.0 : b <= 0 ? 0.0 : Double.NaN);
        };
    }

    /** erf with relative error below 1e-15 (via erfc). */
    static double erf(double x) {
        if (Math.abs(x) < 0.5) {
            // Taylor series around 0 converges fast here and keeps tiny arguments exact
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 30; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return sum * 2.0 / Math.sqrt(Math.PI);
        }
        return x > 0 ? 1.0 - erfc(x) : erfc(-x) - 1.0;
    }

    /** Complementary error function (W. J. Cody's rational approximations via a continued fraction). */
    static double erfc(double x) {
        if (x < 0) return 2.0 - erfc(-x);
        if (x < 0.5) return 1.0 - erf(x);
        if (x > 27) return 0.0;
        // Lentz continued fraction for erfc, accurate to double precision for x >= 0.5
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n * 0.5;
            d = x + an * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) break;
        }
        return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
    }
}
