package com.voicecrm.contacts.domain;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** Tag ordering: case-insensitive, ties broken by exact code-point order (SPEC section 1). */
public final class Tags {

  public static final Comparator<String> DISPLAY_ORDER =
      ((Comparator<String>) (a, b) -> compareCodePoints(a, b, true))
          .thenComparing((a, b) -> compareCodePoints(a, b, false));

  private Tags() {}

  /** Distinct tags in display order. */
  public static List<String> sorted(Collection<String> tags) {
    TreeSet<String> ordered = new TreeSet<>(DISPLAY_ORDER);
    ordered.addAll(tags);
    return List.copyOf(ordered);
  }

  /** The union of two tag collections, in display order. */
  public static List<String> union(Collection<String> a, Collection<String> b) {
    TreeSet<String> ordered = new TreeSet<>(DISPLAY_ORDER);
    ordered.addAll(a);
    ordered.addAll(b);
    return List.copyOf(ordered);
  }

  // String.compareTo and CASE_INSENSITIVE_ORDER order UTF-16 units, which differs from code
  // points beyond the BMP; this walks code points, folding case first when asked.
  private static int compareCodePoints(String a, String b, boolean ignoreCase) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      int fa = ignoreCase ? fold(ca) : ca;
      int fb = ignoreCase ? fold(cb) : cb;
      if (fa != fb) {
        return Integer.compare(fa, fb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static int fold(int codePoint) {
    return Character.toLowerCase(Character.toUpperCase(codePoint));
  }
}
