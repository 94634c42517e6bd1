package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A command list shows each command's first description line: it must read as a whole sentence. */
class CommandListTest {
    @TempDir
    Path work;

    @Test
    void everyCommandsFirstDescriptionLineIsAWholeSentence() {
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(sink);
        CommandLine root = Baton.commandLine(new Cli(w, w, Map.of(), work));
        List<String> cut = new ArrayList<>();
        walk(root, cut);
        assertThat(cut).as("commands whose list entry stops mid-sentence").isEmpty();
    }

    @Test
    void theMigrateListShowsSentencesNotFragments() {
        String help = BatonProcess.inProcess(work, Map.of(), "migrate", "--help").out();
        assertThat(help).contains("status     Show the applied heads, the pending revisions and any interrupted one.")
                .contains("adopt      Take over a database that another tool migrated.");
    }

    private static void walk(CommandLine cl, List<String> cut) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            String[] lines = sub.getCommandSpec().usageMessage().description();
            String first = lines.length == 0 ? "" : lines[0].strip();
            if (!first.endsWith(".")) {
                cut.add(sub.getCommandSpec().qualifiedName() + ": " + first);
            }
            walk(sub, cut);
        }
    }
}
