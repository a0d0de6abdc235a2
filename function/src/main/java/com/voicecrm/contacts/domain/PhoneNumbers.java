package com.voicecrm.contacts.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Phone parsing, E.164 formatting and timezone derivation, all by libphonenumber. */
public final class PhoneNumbers {

  // SPEC allows only digits and these separators after the leading '+'; libphonenumber alone
  // would also accept letters (vanity numbers) and extensions.
  private static final Pattern ALLOWED = Pattern.compile("\\+[0-9 ().\\-]{1,40}");
  private static final String UNKNOWN_ZONE = PhoneNumberToTimeZonesMapper.getUnknownTimeZone();

  private PhoneNumbers() {}

  /** The E.164 form of {@code input}, or empty when it is not a possible international number. */
  public static Optional<String> toE164(String input) {
    if (!ALLOWED.matcher(input).matches()) {
      return Optional.empty();
    }
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    try {
      PhoneNumber number = util.parse(input, "ZZ");
      if (!util.isPossibleNumber(number)) {
        return Optional.empty();
      }
      return Optional.of(util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /** The one real timezone an E.164 number maps to, or empty when it maps to none or several. */
  public static Optional<String> timezoneOf(String e164) {
    try {
      PhoneNumber number = PhoneNumberUtil.getInstance().parse(e164, "ZZ");
      List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
      if (zones.size() == 1 && !UNKNOWN_ZONE.equals(zones.get(0))) {
        return Optional.of(zones.get(0));
      }
      return Optional.empty();
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }
}
