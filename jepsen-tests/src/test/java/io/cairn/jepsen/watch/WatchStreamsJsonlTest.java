package io.cairn.jepsen.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchStreamsJsonlTest {

  @Test
  void streamsSurviveAWriteAndReadBack() throws IOException {
    List<WatcherStream> streams = List.of(
        new WatcherStream("p3@n1 from 4", "jepsen/watch/", "jepsen/watch0", 4, 9, true, List.of(
            new ReceivedEvent(0, 5, "jepsen/watch/1", EventType.PUT, "17", null),
            new ReceivedEvent(1, 7, "jepsen/watch/1", EventType.PUT, "21", "17"),
            new ReceivedEvent(1, 7, "jepsen/watch/2", EventType.DELETE, null, "3"))),
        new WatcherStream("final watcher on n2", "jepsen/watch/", "\0", 1, 0, false, List.of()));
    StringWriter out = new StringWriter();
    WatchStreamsJsonl.write(streams, out);

    assertEquals(2, out.toString().lines().count());
    assertEquals(streams, WatchStreamsJsonl.read(new StringReader(out.toString())));
  }

  @Test
  void aLineThatIsNotAStreamIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WatchStreamsJsonl.read(new StringReader("\n{\"id\":\"w\",\"key\":\"k\",\"startRevision\":5,\"endRevision\":1}\n")));
    assertEquals(true, e.getMessage().startsWith("watch stream line 2 is not valid: watcher w has a bad revision range"), e.getMessage());
  }
}
