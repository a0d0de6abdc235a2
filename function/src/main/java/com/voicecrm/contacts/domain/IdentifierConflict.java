package com.voicecrm.contacts.domain;

/** Another active contact holds the request's {@code field} ("phone" or "email"). */
public record IdentifierConflict(String field, String contactId) {}
