package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

  @Test
  void formatsAsE164() {
    assertEquals(Optional.of("+14155551234"), PhoneNumbers.toE164("+1 (415) 555-1234"));
    assertEquals(Optional.of("+442079460958"), PhoneNumbers.toE164("+44 20.7946.0958"));
  }

  @Test
  void timezone_onlyWhenExactlyOneRealZone() {
    assertEquals(Optional.of("Europe/London"), PhoneNumbers.timezoneOf("+442079460958"));
    assertEquals(Optional.empty(), PhoneNumbers.timezoneOf("+18005550100"));
    assertEquals(
        Optional.empty(), PhoneNumbers.timezoneOf("+80012345678")); // international freephone
  }
}
