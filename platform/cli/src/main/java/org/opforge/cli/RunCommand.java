package org.opforge.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opforge.runtime.OpForgeContainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code opforge run}: starts the container and keeps it running until the process is stopped
 * (Ctrl-C, SIGTERM), printing each lifecycle event as one line on stdout as it happens.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the container and keep running; jars added to, replaced in or removed from the deploy "
                + "directory are installed, updated or uninstalled.",
                "Prints one line per event on stdout: bundle installed / updated / uninstalled / failed, "
                + "operator registered / unregistered. Stop with Ctrl-C."})
public final class RunCommand implements Callable<Integer> {
    @Mixin DeployOptions deploy;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OpForgeContainer container = deploy.start(event -> {
            out.println(event.line());
            out.flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            container.close();
            stopped.countDown();
        }, "opforge-shutdown"));
        err.println("opforge: container running on " + container.deployDir() + " with " + container.bundles().size()
                + " bundles and " + container.operators().size() + " operators; Ctrl-C stops it");
        err.flush();
        stopped.await();
        return 0;
    }
}
