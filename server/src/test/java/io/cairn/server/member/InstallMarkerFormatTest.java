package io.cairn.server.member;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.server.member.SnapshotDirectory.InstallMarker;
import org.junit.jupiter.api.Test;

/**
 * Pins the text of the snapshot install marker ({@code member/snap/install-marker}): a member that
 * crashed midway through installing a snapshot and is restarted by a newer Cairn must still find
 * which staged checkpoint to finish installing.
 */
class InstallMarkerFormatTest {
  @Test
  void theMarkerIsTermIndexAndStagedNameOnOneLine() {
    InstallMarker marker = new InstallMarker(4, 1200, "incoming-4-1200");
    assertEquals("4 1200 incoming-4-1200\n", marker.encode());
    assertEquals(marker, InstallMarker.decode("4 1200 incoming-4-1200\n"));
  }
}
