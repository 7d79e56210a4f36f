package org.opforge.cli.bench;

import java.util.List;

/** A suite file that cannot run: every problem found, one line each as {@code file:line: key: message}. */
public final class SuiteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SuiteException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems in the suite file:" + System.lineSeparator() + String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one line each, in file order. */
    public List<String> problems() {
        return problems;
    }
}
