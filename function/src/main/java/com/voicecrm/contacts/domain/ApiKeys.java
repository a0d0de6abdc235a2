package com.voicecrm.contacts.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API key format, generation and hashing. Only the SHA-256 of a key is ever stored: keys carry at
 * least 192 bits of randomness, so an unsalted fast hash cannot be reversed or guessed.
 */
public final class ApiKeys {

  private static final Pattern FORMAT = Pattern.compile("sk_(live|test)_[A-Za-z0-9_-]{32,128}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int RANDOM_BYTES = 30; // 40 URL-safe characters

  private ApiKeys() {}

  public static boolean isWellFormed(String key) {
    return key != null && FORMAT.matcher(key).matches();
  }

  /** A new random key, {@code sk_live_...} or {@code sk_test_...}. */
  public static String generate(boolean live) {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return (live ? "sk_live_" : "sk_test_")
        + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Hex SHA-256 of the key: what the store keeps and looks keys up by. */
  public static String hash(String key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** A short, non-secret id of a key for logs and listings: the first 12 hex digits of its hash. */
  public static String keyId(String keyHash) {
    return keyHash.substring(0, 12);
  }
}
