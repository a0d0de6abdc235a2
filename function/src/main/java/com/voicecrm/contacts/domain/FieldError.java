package com.voicecrm.contacts.domain;

/** One problem with one field of a request; {@code field} is a path such as {@code tags[2]}. */
public record FieldError(String field, String message) {}
