package org.opforge.runtime;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what Felix and File Install log to slf4j as one line each, instead of their default of
 * printing to stdout with stack traces: stdout belongs to the command's output, and failures the
 * user must see are reported as lifecycle events anyway. Stack traces go to the debug level, and so
 * does an out-of-memory error that reached a framework thread: the command reports it, once.
 */
final class LogBridge {
    private static final Logger FELIX = LoggerFactory.getLogger("org.opforge.runtime.felix");
    private static final Logger FILEINSTALL = LoggerFactory.getLogger("org.opforge.runtime.fileinstall");
    /** File Install logs through this java.util.logging logger when told {@code log.default = jul}. */
    private static final java.util.logging.Logger JUL_FILEINSTALL = java.util.logging.Logger.getLogger("fileinstall");

    private LogBridge() {}

    /** A Felix logger (framework property {@code felix.log.logger}) that writes to slf4j. */
    static org.apache.felix.framework.Logger felixLogger() {
        return new org.apache.felix.framework.Logger() {
            @Override
            protected void doLog(int level, String msg, Throwable throwable) {
                String line = throwable == null ? msg : msg + ": " + rootMessage(throwable);
                if (outOfMemory(throwable)) level = LOG_DEBUG;
                switch (level) {
                    case LOG_ERROR: FELIX.warn(line); break;
                    case LOG_WARNING: FELIX.info(line); break;
                    default: FELIX.debug(line);
                }
                if (throwable != null) FELIX.debug("stack trace", throwable);
            }
        };
    }

    /** Routes File Install's java.util.logging output to slf4j; idempotent. */
    static synchronized void installFileInstallHandler() {
        for (Handler h : JUL_FILEINSTALL.getHandlers()) if (h instanceof Slf4jHandler) return;
        JUL_FILEINSTALL.setUseParentHandlers(false);
        JUL_FILEINSTALL.addHandler(new Slf4jHandler());
    }

    private static boolean outOfMemory(Throwable t) {
        for (; t != null; t = t.getCause() == t ? null : t.getCause()) if (t instanceof OutOfMemoryError) return true;
        return false;
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static final class Slf4jHandler extends Handler {
        @Override
        public void publish(LogRecord r) {
            String line = r.getThrown() == null ? r.getMessage() : r.getMessage() + ": " + rootMessage(r.getThrown());
            if (outOfMemory(r.getThrown())) FILEINSTALL.debug(line);
            else if (r.getLevel().intValue() >= Level.SEVERE.intValue()) FILEINSTALL.warn(line);
            else if (r.getLevel().intValue() >= Level.INFO.intValue()) FILEINSTALL.info(line);
            else FILEINSTALL.debug(line);
            if (r.getThrown() != null) FILEINSTALL.debug("stack trace", r.getThrown());
        }

        @Override public void flush() {}

        @Override public void close() {}
    }
}
