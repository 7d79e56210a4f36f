package org.opforge.cli;

import java.nio.file.Path;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks of option values: a value outside its range is a usage error naming the option, the value and the range. */
final class Values {
    private Values() {}

    /** @throws ParameterException unless {@code min <= value <= max} */
    static void range(CommandSpec spec, String option, long value, long min, long max, String why) {
        if (value < min || value > max) {
            String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min : min + ".." + max;
            throw new ParameterException(spec.commandLine(), option + " " + value + ": expected " + range + (why.isEmpty() ? "" : " (" + why + ")"));
        }
    }

    static void atLeast(CommandSpec spec, String option, long value, long min) {
        range(spec, option, value, min, Long.MAX_VALUE, "");
    }

    /** A sample count: at least 1 and at most what {@code file} holds (read from its metadata only). */
    static void samples(CommandSpec spec, String option, Integer value, Path file) {
        if (value == null) return;
        atLeast(spec, option, value, 1);
        int held;
        try (Dataset ds = DatasetSource.find().open(file)) {
            held = ds.samples();
        }
        range(spec, option, value, 1, held, file + " holds " + held + " samples");
    }
}
