package org.opforge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level {@code opforge} command. Each subcommand is its own class; adding one is one line
 * in {@code subcommands} below.
 */
@Command(name = "opforge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "OpForge: neural operators on the JVM, hosted in an OSGi container with hot-swappable bundles.",
        exitCodeListHeading = "Exit codes (every command):%n",
        exitCodeList = {"0:done", "1:failed (bad input file, failed training or bench run, out of memory)",
                "2:wrong call (unknown option, value out of range, invalid suite, output refused)",
                "130:stopped by Ctrl-C (SIGINT)", "143:stopped by SIGTERM"},
        subcommands = {
            RunCommand.class,
            BundlesCommand.class,
            OperatorsCommand.class,
            InfoCommand.class,
            DataCommand.class,
            GenerateCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            BenchCommand.class,
            DecomposeCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class OpForgeCommand implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "print stack traces of errors (and set -Dorg.slf4j.simpleLogger.defaultLogLevel=debug for logs)")
    boolean debug;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (run, bundles, operators, info, ...)");
    }
}
