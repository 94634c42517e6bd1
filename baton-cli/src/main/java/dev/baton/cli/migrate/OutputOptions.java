package dev.baton.cli.migrate;

import picocli.CommandLine.Option;

/** --json and --verbose, shared by the commands that print results. */
public final class OutputOptions {
    @Option(names = "--json", description = "print the result as JSON on stdout (progress stays on stderr)")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "more detail, and stack traces for errors")
    boolean verbose;
}
