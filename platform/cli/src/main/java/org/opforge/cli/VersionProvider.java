package org.opforge.cli;

import org.opforge.runtime.OpForgeVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code opforge --version}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"OpForge " + OpForgeVersion.maven(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
