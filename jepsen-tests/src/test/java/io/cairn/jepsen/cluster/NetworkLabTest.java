package io.cairn.jepsen.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NetworkLabTest {

  @Test
  void labNumberDefaultsToZeroAndAcceptsOneToNine() {
    assertEquals(0, NetworkLab.labNumber(null));
    assertEquals(0, NetworkLab.labNumber(" "));
    assertEquals(3, NetworkLab.labNumber("3"));
    assertEquals(9, NetworkLab.labNumber(" 9 "));
  }

  @Test
  void labNumberOutsideZeroToNineIsRefused() {
    IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> NetworkLab.labNumber("10"));
    assertEquals("CAIRN_JEPSEN_LAB must be a number from 0 to 9, not 10", tooBig.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NetworkLab.labNumber("-1"));
    assertThrows(IllegalArgumentException.class, () -> NetworkLab.labNumber("two"));
  }
}
