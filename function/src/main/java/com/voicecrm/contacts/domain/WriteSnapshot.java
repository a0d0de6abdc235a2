package com.voicecrm.contacts.domain;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a write decides from, read consistently: the workspace (one the key reaches), the active
 * contacts holding the request's phone and email (null: nobody), which of its tags the workspace
 * has, the contact it acts on (null: none), and what earlier attempts of the request wrote.
 */
public record WriteSnapshot(
    Workspace workspace,
    String phoneOwnerId,
    String emailOwnerId,
    Set<String> registeredTags,
    Contact target,
    Attempts attempts) {

  public WriteSnapshot {
    registeredTags = Set.copyOf(registeredTags);
  }

  /** The tags the workspace does not have yet: the write registers them. */
  public Set<String> newTags(Collection<String> tags) {
    return tags.stream().filter(t -> !registeredTags.contains(t)).collect(Collectors.toSet());
  }
}
