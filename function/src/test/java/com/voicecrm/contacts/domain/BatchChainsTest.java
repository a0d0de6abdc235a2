package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which items of a batch must run one after another (SPEC 10: as the same upserts in sequence). */
class BatchChainsTest {

  @Test
  void itemsWithNothingInCommon_areChainsOfOne_inIndexOrder() {
    assertEquals(
        List.of(List.of(0), List.of(1), List.of(2)),
        BatchChains.of(List.of(Set.of("P:1"), Set.of("P:2"), Set.of("E:a"))));
  }

  @Test
  void itemsSharingAPhone_orAnEmail_formOneChain_inIndexOrder() {
    assertEquals(
        List.of(List.of(0, 2), List.of(1, 3)),
        BatchChains.of(
            List.of(
                Set.of("P:1", "E:a"), Set.of("P:2"), Set.of("E:a", "P:3"), Set.of("P:2", "E:b"))));
  }

  @Test
  void sharingIsTransitive_aChainJoinsItemsLinkedThroughOthers() {
    // 0 and 2 share nothing, but 1 shares a phone with 0 and an email with 2.
    assertEquals(
        List.of(List.of(0, 1, 2)),
        BatchChains.of(List.of(Set.of("P:1"), Set.of("P:1", "E:x"), Set.of("E:x"))));
  }

  @Test
  void aLaterItem_linkingTwoEarlierChains_mergesThem_underTheFirstIndex() {
    assertEquals(
        List.of(List.of(0, 2, 3), List.of(1)),
        BatchChains.of(List.of(Set.of("P:1"), Set.of("P:9"), Set.of("E:b"), Set.of("E:b", "P:1"))));
  }

  @Test
  void itemsOutOfTheBatch_areInNoChain_andItemsWithoutKeysStandAlone() {
    List<Set<String>> keys = new ArrayList<>(Arrays.asList(Set.of("P:1"), null, Set.of(), null));
    keys.add(Set.of("P:1"));
    assertEquals(List.of(List.of(0, 4), List.of(2)), BatchChains.of(keys));
  }

  /** The items of {@code chain} reachable from {@code start} through shared keys. */
  private static Set<Integer> linkedFrom(int start, List<Integer> chain, List<Set<String>> keys) {
    Set<Integer> reached = new java.util.HashSet<>(Set.of(start));
    java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>(List.of(start));
    while (!pending.isEmpty()) {
      int at = pending.pop();
      for (int other : chain) {
        if (!reached.contains(other) && keys.get(at).stream().anyMatch(keys.get(other)::contains)) {
          reached.add(other);
          pending.push(other);
        }
      }
    }
    return reached;
  }

  @Test
  void chainsPartitionTheItems_andEachHoldsEveryItemSharingAKey_randomised() {
    Random random = new Random(20261201);
    for (int round = 0; round < 200; round++) {
      int size = 1 + random.nextInt(100);
      List<Set<String>> keys = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        keys.add(Set.of("P:" + random.nextInt(40), "E:" + random.nextInt(40)));
      }
      List<List<Integer>> chains = BatchChains.of(keys);
      int[] chainOf = new int[size];
      int seen = 0;
      int previousFirst = -1;
      for (int c = 0; c < chains.size(); c++) {
        List<Integer> chain = chains.get(c);
        assertEquals(chain.stream().sorted().toList(), chain, "indexes ascending");
        assertEquals(true, chain.get(0) > previousFirst, "chains by first index");
        previousFirst = chain.get(0);
        for (int index : chain) {
          chainOf[index] = c;
          seen++;
        }
      }
      assertEquals(size, seen, "every item in exactly one chain");
      for (int a = 0; a < size; a++) {
        for (int b = a + 1; b < size; b++) {
          if (keys.get(a).stream().anyMatch(keys.get(b)::contains)) {
            assertEquals(chainOf[a], chainOf[b], "items " + a + " and " + b + " share a key");
          }
        }
      }
      for (List<Integer> chain : chains) {
        assertEquals(
            Set.copyOf(chain), linkedFrom(chain.get(0), chain, keys), "no chain over-joins");
      }
    }
  }
}
