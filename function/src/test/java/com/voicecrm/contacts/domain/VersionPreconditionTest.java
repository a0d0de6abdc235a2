package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionPreconditionTest {

  @Test
  void noHeader_isNoPrecondition() {
    assertNull(VersionPrecondition.ofIfMatch(null));
  }

  @Test
  void star_allowsAnyVersion() {
    assertTrue(VersionPrecondition.ofIfMatch(" * ").allows(0));
    assertTrue(VersionPrecondition.ofIfMatch("*").allows(41));
  }

  @Test
  void quotedVersions_allowExactlyThose() {
    VersionPrecondition precondition = VersionPrecondition.ofIfMatch("\"3\", \"5\"");

    assertTrue(precondition.allows(3));
    assertTrue(precondition.allows(5));
    assertFalse(precondition.allows(4));
  }

  @Test
  void weakOrMalformedTags_neverMatch_strongComparison() {
    assertFalse(VersionPrecondition.ofIfMatch("W/\"3\"").allows(3));
    assertFalse(VersionPrecondition.ofIfMatch("3").allows(3));
    assertFalse(VersionPrecondition.ofIfMatch("\"x3\"").allows(3));
    assertFalse(VersionPrecondition.ofIfMatch("\"\"").allows(0));
    assertFalse(VersionPrecondition.ofIfMatch("\"99999999999999999999\"").allows(3));
    assertFalse(VersionPrecondition.ofIfMatch("").allows(0));
  }
}
