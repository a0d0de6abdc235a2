package com.voicecrm.contacts.domain;

import java.util.Locale;

/** Email rules: what an address looks like (SPEC 3.1), and when two are the same. */
public final class Emails {

  private Emails() {}

  /** The case-insensitive key of an email, or null for no email. */
  public static String key(String email) {
    return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
  }

  /** One {@code @}, a non-empty local part, a domain with a dot, no spaces or controls. */
  public static boolean isValid(String text) {
    int at = text.indexOf('@');
    if (at <= 0 || at != text.lastIndexOf('@')) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
        return false;
      }
    }
    String domain = text.substring(at + 1);
    int dot = domain.indexOf('.');
    return dot > 0 && !domain.endsWith(".") && !domain.contains("..");
  }
}
