package io.cairn.raft.interaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script under src/test/resources/interaction: each command's output must equal the
 * expected text stored beneath it. {@code -Dcairn.rewrite=true} rewrites the files with the actual
 * output instead (review the diff before committing).
 */
class InteractionTest {
    private static final Path DIR = Path.of("src", "test", "resources", "interaction");

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no scripts in " + DIR.toAbsolutePath());
        boolean rewrite = Boolean.getBoolean("cairn.rewrite");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runScript(f, rewrite)));
    }

    private static void runScript(Path file, boolean rewrite) throws IOException {
        ScriptFile script = ScriptFile.parse(file);
        InteractionEnv env = new InteractionEnv();
        List<String> actual = new ArrayList<>();
        for (ScriptFile.Case c : script.cases) {
            String out = env.run(c.command());
            actual.add(out);
            if (!rewrite) {
                assertEquals(c.expected(), out, file.getFileName() + ":" + c.line() + ": " + c.command());
            }
        }
        if (rewrite) {
            script.rewrite(actual);
        }
    }
}
