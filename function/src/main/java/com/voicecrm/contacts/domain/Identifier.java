package com.voicecrm.contacts.domain;

/** A value unique among the active contacts of one workspace: a phone, or an email's key. */
public record Identifier(Kind kind, String value) {

  public enum Kind {
    PHONE,
    EMAIL
  }

  public static Identifier phone(String e164) {
    return new Identifier(Kind.PHONE, e164);
  }

  public static Identifier email(String address) {
    return new Identifier(Kind.EMAIL, Emails.key(address));
  }
}
