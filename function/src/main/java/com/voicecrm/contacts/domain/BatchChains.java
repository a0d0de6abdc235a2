package com.voicecrm.contacts.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the items of a batch into chains (SPEC 10): items that share a key (a phone, an email, a
 * contact they would touch) land in one chain, in index order, and are applied one after another,
 * so they behave as the same upserts sent in sequence. Items of different chains touch nothing in
 * common and may run concurrently. Union-find over the keys, with path halving.
 */
public final class BatchChains {

  private BatchChains() {}

  /**
   * The chains of {@code keysByIndex}: each element is one item's keys, {@code null} for an item
   * that takes no part (it failed validation). Chains are ordered by their first index and hold
   * their indexes ascending; an item without keys is a chain of its own.
   */
  public static List<List<Integer>> of(List<? extends Collection<String>> keysByIndex) {
    int[] parent = new int[keysByIndex.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    Map<String, Integer> firstHolder = new HashMap<>();
    for (int i = 0; i < parent.length; i++) {
      Collection<String> keys = keysByIndex.get(i);
      if (keys == null) {
        continue;
      }
      for (String key : keys) {
        Integer holder = firstHolder.putIfAbsent(key, i);
        if (holder != null) {
          union(parent, holder, i);
        }
      }
    }
    Map<Integer, List<Integer>> chains = new LinkedHashMap<>();
    for (int i = 0; i < parent.length; i++) {
      if (keysByIndex.get(i) != null) {
        chains.computeIfAbsent(root(parent, i), r -> new ArrayList<>()).add(i);
      }
    }
    // Roots are the smallest index of their chain (see union), and indexes were added ascending,
    // so the map's insertion order is already by first index.
    return List.copyOf(chains.values().stream().map(List::copyOf).toList());
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Joins the chains of {@code a} and {@code b}; the smaller root stays the root. */
  private static void union(int[] parent, int a, int b) {
    int rootA = root(parent, a);
    int rootB = root(parent, b);
    if (rootA == rootB) {
      return;
    }
    if (rootA < rootB) {
      parent[rootB] = rootA;
    } else {
      parent[rootA] = rootB;
    }
  }
}
