package dev.baton.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (or "dev" when run from classes). */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"baton " + (v == null ? "dev" : v)};
    }
}
