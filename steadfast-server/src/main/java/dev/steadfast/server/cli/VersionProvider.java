package dev.steadfast.server.cli;

import picocli.CommandLine.IVersionProvider;

/** The version recorded in the jar manifest at build time; "development build" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"steadfast " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
    }
}
