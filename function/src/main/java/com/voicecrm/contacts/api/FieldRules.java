package com.voicecrm.contacts.api;

import com.voicecrm.contacts.domain.Emails;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.PhoneNumbers;
import java.util.List;

/**
 * SPEC 3.1's rule for a value wherever it arrives (a body's field read by {@link FieldParser}, a
 * query parameter read by {@link ListQueryParser}): one place for each limit and each message.
 */
final class FieldRules {

  static final int MAX_NAME_LENGTH = 255;
  static final int MAX_EMAIL_LENGTH = 254;
  static final int MAX_TAG_LENGTH = 255;
  static final int MAX_TAGS = 100;
  static final int MAX_CUSTOM_VALUE_LENGTH = 10_000;

  private FieldRules() {}

  /** SPEC 3.1's email: trimmed, at most 254 characters, an address; else null and its problem. */
  static String email(String field, String text, List<FieldError> errors) {
    String trimmed = text.strip();
    if (length(trimmed) > MAX_EMAIL_LENGTH) {
      errors.add(new FieldError(field, "Must be at most " + MAX_EMAIL_LENGTH + " characters"));
      return null;
    }
    if (!Emails.isValid(trimmed)) {
      errors.add(new FieldError(field, "Must be an email address such as name@example.com"));
      return null;
    }
    return trimmed;
  }

  /**
   * SPEC 3.1's phone as E.164, or null and its problem; {@code plusHint} follows the message of a
   * number without its {@code +}.
   */
  static String phone(String field, String text, String plusHint, List<FieldError> errors) {
    String trimmed = text.strip();
    if (!trimmed.startsWith("+")) {
      errors.add(new FieldError(field, "Must start with + and the country code" + plusHint));
      return null;
    }
    return PhoneNumbers.toE164(trimmed)
        .orElseGet(
            () -> {
              errors.add(new FieldError(field, "Not a possible phone number"));
              return null;
            });
  }

  /** SPEC 3.1's tag: trimmed, 1 to 255 characters; else null and its problem. */
  static String tag(String field, String text, List<FieldError> errors) {
    String tag = text.strip();
    int length = length(tag);
    if (length < 1 || length > MAX_TAG_LENGTH) {
      errors.add(new FieldError(field, "Must be 1 to " + MAX_TAG_LENGTH + " characters"));
      return null;
    }
    return tag;
  }

  /** Characters as SPEC 3.1 counts them: code points. */
  static int length(String text) {
    return text.codePointCount(0, text.length());
  }
}
