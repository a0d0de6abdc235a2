package com.voicecrm.contacts.api;

/**
 * A JSON number exactly as the client wrote it ({@code 250.50} stays {@code "250.50"}), so custom
 * field values are stored without any floating-point rounding.
 */
public record NumberText(String text) {}
