package io.cairn.server.faults.planted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.faults.FaultHooks;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server as shipped (its jar when the reactor has packaged it, else its classes directory) holds
 * the fault-hook interface and nothing that could switch a bug on: no planted-bug class, no hook
 * implementation, no ServiceLoader registration. Only this module's jar brings those.
 */
class ShippedServerHasNoPlantedBugTest {
  private static final String SERVICE_FILE = "META-INF/services/" + FaultHooks.class.getName();

  @Test
  void theServerHoldsOnlyTheHookInterface() throws Exception {
    Path server = codeSource(FaultHooks.class);
    assertNotEquals(server, codeSource(PlantedBugHooks.class), "the hooks must not come from the server");
    List<String> entries = entries(server);
    assertTrue(entries.contains("io/cairn/server/faults/FaultHooks.class"), "the interface is there: " + server);
    List<String> suspicious = new ArrayList<>();
    for (String entry : entries) {
      boolean otherFaultClass = entry.startsWith("io/cairn/server/faults/")
          && !entry.matches("io/cairn/server/faults/FaultHooks(\\$\\d+)?\\.class");
      if (otherFaultClass || entry.contains("PlantedBug") || entry.equals(SERVICE_FILE)) {
        suspicious.add(entry);
      }
    }
    assertEquals(List.of(), suspicious, "fault-injection code in the shipped server " + server);
  }

  @Test
  void thisModuleRegistersTheHooksForServiceLoader() throws Exception {
    Path faults = codeSource(PlantedBugHooks.class);
    assertTrue(entries(faults).contains(SERVICE_FILE), faults.toString());
    assertEquals(PlantedBugHooks.class, FaultHooks.discover().getClass(), "found beside the server");
  }

  private static Path codeSource(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Names of the entries of a jar, or of the files under a classes directory, '/'-separated. */
  private static List<String> entries(Path codeSource) throws IOException {
    if (Files.isRegularFile(codeSource)) {
      try (JarFile jar = new JarFile(codeSource.toFile())) {
        return jar.stream().filter(e -> !e.isDirectory()).map(e -> e.getName()).toList();
      }
    }
    assertFalse(Files.notExists(codeSource), codeSource.toString());
    try (Stream<Path> files = Files.walk(codeSource)) {
      return files.filter(Files::isRegularFile).map(f -> codeSource.relativize(f).toString().replace('\\', '/')).toList();
    }
  }
}
