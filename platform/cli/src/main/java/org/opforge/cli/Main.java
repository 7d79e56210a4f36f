package org.opforge.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the {@code opforge} command. Errors end as one line on stderr and a non-zero exit
 * code: 1 when the command failed (an {@link OutOfMemoryError} included), 2 when it was called
 * wrongly; a JVM stopped by SIGINT or SIGTERM exits with 130 or 143 after its shutdown hooks have
 * removed temporary files and bundle caches. {@code --debug} adds the stack trace. README.md has the table.
 */
public final class Main {
    /** Exit code of a command that ran and failed. */
    public static final int FAILED = 1;
    /** Exit code of a call with unknown or malformed options. */
    public static final int USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        ThreadFailures elsewhere = new ThreadFailures(err, java.util.Arrays.asList(args).contains("--debug"));
        Thread.setDefaultUncaughtExceptionHandler(elsewhere);
        int code = execute(new PrintWriter(System.out, true), err, args);
        if (code == 0 && elsewhere.outOfMemory()) {
            err.println("opforge: " + HeapLimits.outOfMemory());
            code = FAILED;
        }
        if (shutdownInProgress()) {
            // a signal is ending the JVM with 130 or 143 once the hooks are done; exit(code) here could halt it
            // first with this code (CI saw a bench stopped by SIGINT end with 1)
            return;
        }
        System.exit(code);
    }

    /** Whether the JVM is running its shutdown hooks, as it does after SIGINT or SIGTERM. */
    static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }

    /**
     * What ends a thread other than the command's own: an {@link OutOfMemoryError} is noted, not printed
     * (the command that ran out of memory says so in one line; a command that succeeded while another thread,
     * such as the container's deploy watcher, ran out fails with that line), its stack trace only with
     * {@code --debug}; anything else is printed as the JVM would.
     */
    static final class ThreadFailures implements Thread.UncaughtExceptionHandler {
        private final PrintWriter err;
        private final boolean debug;
        private volatile boolean outOfMemory;

        ThreadFailures(PrintWriter err, boolean debug) {
            this.err = err;
            this.debug = debug;
        }

        boolean outOfMemory() { return outOfMemory; }

        @Override public void uncaughtException(Thread t, Throwable e) {
            boolean oom = Main.outOfMemory(e);
            if (oom) outOfMemory = true;
            if (oom && !debug) return;
            err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace(err);
            err.flush();
        }
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        OpForgeCommand top = new OpForgeCommand();
        CommandLine cl = new CommandLine(top);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine failing = ex.getCommandLine();
            err.println("opforge: " + ex.getMessage());
            err.println("Try '" + failing.getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, failing, parseResult) -> {
            err.println("opforge " + failing.getCommandName() + ": " + (outOfMemory(ex) ? HeapLimits.outOfMemory() : message(ex)));
            if (top.debug) ex.printStackTrace(err);
            return FAILED;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("opforge: " + HeapLimits.outOfMemory());
            if (top.debug) e.printStackTrace(err);
            err.flush();
            return FAILED;
        }
    }

    /** Whether {@code ex} is, or was caused by, an {@link OutOfMemoryError} (worker threads wrap theirs). */
    static boolean outOfMemory(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) if (t instanceof OutOfMemoryError) return true;
        return false;
    }

    /** The exception's own message, or for one without, its type and its cause's message. */
    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m != null && !m.isBlank()) return m;
        Throwable cause = ex.getCause();
        return ex.getClass().getSimpleName() + (cause == null ? "" : ": " + message(cause));
    }
}
