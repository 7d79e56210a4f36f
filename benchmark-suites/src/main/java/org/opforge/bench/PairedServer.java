package org.opforge.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;

/**
 * The engine's side of a paired comparison ({@code benchmark-suites/scripts/paired.py}): a driver runs this
 * process and {@code scripts/paired_torch.py} side by side and has them time the same case in alternating
 * windows, so that a slow spell of the shared host falls on both (a 256 x 256 product drifted between 170
 * and 235 us over tens of seconds with nothing else running, in windows that a benchmark run one after the
 * other put on one side only).
 *
 * <p>Protocol, one line each way: {@code case NAME} prepares a case, warms it up until the JVM's steady state
 * ({@link Quiet#settle}) and answers {@code ready NAME}; {@code window SECONDS} times calls of it for that long
 * (at least three) and answers a JSON line {@code {"ms":[...]}}; {@code quit} ends. Cases: {@code sgemm_N}
 * (an N x N product through {@link Tensor#matmul} without a graph in an inference {@link StepScope}, as {@link GemmBench}), {@code deeponet_train}
 * and {@code deeponet_infer} ({@link DeepOnetBench}'s step and forward pass on 10,000 pairs). Anything else
 * answers {@code error ...}.
 */
public final class PairedServer {
    private PairedServer() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        // the protocol owns stdout: anything else printed goes to stderr
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Runnable current = null;
        DeepOnetBench.Steps deeponet = null;
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split("\\s+");
            try {
                switch (w[0]) {
                    case "case" -> {
                        String name = w[1];
                        if (name.startsWith("sgemm_")) {
                            int n = Integer.parseInt(name.substring(6));
                            Rng rng = new Rng(1);
                            Tensor a = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, n, n);
                            Tensor b = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, n, n);
                            // the product goes back to the pool when the call ends, as torch.mm's to its caching allocator
                            current = () -> {
                                try (StepScope scope = StepScope.inference(); GradMode.Scope s = GradMode.noGrad()) {
                                    a.matmul(b);
                                }
                            };
                        } else if (name.equals("deeponet_train") || name.equals("deeponet_infer")) {
                            if (deeponet == null) deeponet = new DeepOnetBench.Steps(10000);
                            current = name.endsWith("train") ? deeponet.train : deeponet.infer;
                        } else {
                            throw new IllegalArgumentException("unknown case '" + name + "' (sgemm_N, deeponet_train, deeponet_infer)");
                        }
                        long warm = System.nanoTime() + 500_000_000L;
                        int calls = 0;
                        while (calls < 10 || System.nanoTime() < warm) {
                            current.run();
                            calls++;
                        }
                        Quiet.settle(current, Quiet.SETTLE_SECONDS);
                        out.println("ready " + name);
                    }
                    case "window" -> {
                        if (current == null) throw new IllegalStateException("window before a case");
                        long span = (long) (Double.parseDouble(w[1]) * 1e9);
                        double[] ms = new double[1 << 16];
                        int count = 0;
                        long w0 = System.nanoTime();
                        while ((count < 3 || System.nanoTime() - w0 < span) && count < ms.length) {
                            long t0 = System.nanoTime();
                            current.run();
                            ms[count++] = (System.nanoTime() - t0) / 1e6;
                        }
                        StringBuilder json = new StringBuilder("{\"ms\":[");
                        for (int i = 0; i < count; i++) json.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "%.4f", ms[i]));
                        out.println(json.append("]}"));
                    }
                    case "quit" -> {
                        out.println("bye");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown command '" + line + "' (case NAME, window SECONDS, quit)");
                }
            } catch (RuntimeException e) {
                out.println("error " + e.getMessage());
            }
        }
        System.exit(0);
    }
}
