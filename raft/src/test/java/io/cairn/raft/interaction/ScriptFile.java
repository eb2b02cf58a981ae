package io.cairn.raft.interaction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A data-driven script in etcd's datadriven layout: a command line, a {@code ----} separator and the
 * expected output, ended by a blank line. Lines starting with {@code #} and blank lines between
 * cases are kept verbatim so a rewrite preserves comments.
 */
final class ScriptFile {
    /** One command and its expected output; {@code prelude} holds comments/blank lines before it. */
    record Case(List<String> prelude, int line, String command, String expected) {}

    final Path path;
    final List<Case> cases;
    final List<String> trailer;

    private ScriptFile(Path path, List<Case> cases, List<String> trailer) {
        this.path = path;
        this.cases = cases;
        this.trailer = trailer;
    }

    static ScriptFile parse(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        List<String> prelude = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                prelude.add(l);
                i++;
                continue;
            }
            int commandLine = i + 1;
            String command = l.trim();
            i++;
            if (i >= lines.size() || !lines.get(i).equals("----")) {
                throw new IllegalArgumentException(path + ":" + commandLine + ": expected ---- after command '" + command + "'");
            }
            i++;
            StringBuilder expected = new StringBuilder();
            while (i < lines.size() && !lines.get(i).isEmpty()) {
                expected.append(lines.get(i)).append('\n');
                i++;
            }
            cases.add(new Case(prelude, commandLine, command, expected.toString()));
            prelude = new ArrayList<>();
        }
        return new ScriptFile(path, cases, prelude);
    }

    /** Writes the file back with the given actual outputs in place of the expected ones. */
    void rewrite(List<String> actual) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cases.size(); c++) {
            for (String p : cases.get(c).prelude()) {
                sb.append(p).append('\n');
            }
            sb.append(cases.get(c).command()).append('\n').append("----\n").append(actual.get(c));
        }
        for (String t : trailer) {
            sb.append(t).append('\n');
        }
        Files.writeString(path, sb.toString(), StandardCharsets.UTF_8);
    }
}
