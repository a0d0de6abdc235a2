package com.voicecrm.contacts.domain;

/** A custom field of a workspace: values are stored under {@code id}, shown under {@code name}. */
public record CustomFieldDefinition(String id, String name) {}
