package io.cairn.jepsen.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryJsonlTest {

  private static final List<Op> EVENTS =
      List.of(
          Op.write(1, OpType.INVOKE, "x", 5, 100),
          Op.read(2, OpType.INVOKE, "x", null, 110),
          Op.write(1, OpType.OK, "x", 5, 150).withRevision(7),
          Op.read(2, OpType.OK, "x", null, 160).withRevision(6),
          Op.cas(1, OpType.INVOKE, "x", 5, 6, 170),
          Op.cas(1, OpType.INFO, "x", 5, 6, 900),
          Op.txn(3, OpType.INVOKE, List.of(MicroOp.append("y", 1), MicroOp.read("y")), 200),
          Op.txn(3, OpType.OK, List.of(MicroOp.append("y", 1), MicroOp.read("y", List.of(1L))), 250).withRevision(8));

  @Test
  void eventsSurviveARoundTrip() throws IOException {
    StringWriter out = new StringWriter();
    HistoryJsonl.write(EVENTS, out);
    String text = out.toString();
    assertEquals(EVENTS.size(), text.lines().count());
    assertTrue(text.lines().findFirst().orElseThrow().startsWith("{\"process\":1,\"type\":\"INVOKE\",\"f\":\"WRITE\""), text);
    assertEquals(EVENTS, HistoryJsonl.read(new StringReader(text + "\n\n")));
  }

  @Test
  void aBadLineIsNamed() {
    String text = "{\"process\":1,\"type\":\"INVOKE\",\"f\":\"WRITE\",\"key\":\"x\",\"value\":1,\"timeNanos\":1,\"revision\":-1}\n"
        + "{\"process\":1,\"type\":\"OK\",\"f\":\"WRITE\",\"key\":\"x\",\"timeNanos\":2,\"revision\":-1}\n";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HistoryJsonl.read(new StringReader(text)));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("needs the value"), e.getMessage());
    IllegalArgumentException notJson =
        assertThrows(IllegalArgumentException.class, () -> HistoryJsonl.read(new StringReader("{oops")));
    assertTrue(notJson.getMessage().contains("line 1"), notJson.getMessage());
  }
}
