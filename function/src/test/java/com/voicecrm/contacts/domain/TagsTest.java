package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TagsTest {

  @Test
  void sortsCaseInsensitively_breakingTiesByCodePoint() {
    assertEquals(
        List.of("a", "B", "VIP", "Vip", "vip", "z"),
        Tags.sorted(List.of("vip", "z", "Vip", "B", "VIP", "a")));
  }

  @Test
  void tiesBeyondTheBasicPlane_followCodePointsNotUtf16Units() {
    String emoji = "x\uD83D\uDE00"; // x + U+1F600
    String privateUse = "x\uFFFD"; // x + U+FFFD, below U+1F600 as a code point, above as UTF-16
    assertEquals(List.of(privateUse, emoji), Tags.sorted(List.of(emoji, privateUse)));
  }

  @Test
  void union_collapsesExactDuplicatesOnly() {
    assertEquals(List.of("A", "a", "b"), Tags.union(List.of("a", "b"), List.of("A", "a")));
  }
}
