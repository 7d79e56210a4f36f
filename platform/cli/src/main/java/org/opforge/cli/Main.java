package org.opforge.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the {@code opforge} command. Errors end as one line on stderr and a non-zero exit
 * code: 1 when the command failed, 2 when it was called wrongly. {@code --debug} adds the stack trace.
 */
public final class Main {
    /** Exit code of a command that ran and failed. */
    public static final int FAILED = 1;
    /** Exit code of a call with unknown or malformed options. */
    public static final int USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
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
            err.println("opforge " + failing.getCommandName() + ": " + message(ex));
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

    /** The exception's own message, or for one without, its type and its cause's message. */
    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m != null && !m.isBlank()) return m;
        Throwable cause = ex.getCause();
        return ex.getClass().getSimpleName() + (cause == null ? "" : ": " + message(cause));
    }
}
