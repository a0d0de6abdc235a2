package com.voicecrm.contacts.domain;

import java.util.Locale;

/** Email comparison: the same address whatever its case or surrounding spaces. */
public final class Emails {

  private Emails() {}

  /** The case-insensitive key of an email, or null for no email. */
  public static String key(String email) {
    return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
  }
}
