package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The invariants of SPEC section 3, checked on what is actually in the table (a consistent scan),
 * not on what the API answered:
 *
 * <ul>
 *   <li>among the active contacts of a workspace no two share a phone, and no two share an email
 *       (case-insensitive);
 *   <li>every identifier item points to an existing, active contact of its workspace that holds
 *       that phone or email;
 *   <li>every active contact's phone and email have their identifier item pointing back at it;
 *   <li>every tag an active contact holds is registered in its workspace;
 *   <li>the list indexes (SPEC 9) agree with the contacts: an active contact carries its workspace
 *       index keys ({@code listPk = WS#<ws>}, {@code listSk = <updatedAt>#<id>}), a deleted one no
 *       {@code listPk}; every tag of an active contact has its membership item with the contact's
 *       {@code listSk}, and every membership item belongs to an active contact holding that tag.
 * </ul>
 */
public final class TableInvariants {

  private TableInvariants() {}

  /**
   * Asserts the invariants over one workspace (or the whole table when null) and counts breaches.
   */
  public static void assertHold(
      DynamoDbClient dynamo, String table, String workspaceId, ReliabilityStats.Suite stats) {
    List<String> violations = violations(dynamo, table, workspaceId);
    stats.violations(violations.size());
    if (!violations.isEmpty()) {
      fail("Table invariants broken:\n  " + String.join("\n  ", violations));
    }
  }

  /** Every breach found, each described in one line; empty when the table is consistent. */
  public static List<String> violations(DynamoDbClient dynamo, String table, String workspaceId) {
    ScanRequest.Builder scan = ScanRequest.builder().tableName(table).consistentRead(true);
    if (workspaceId != null) {
      scan.filterExpression("workspaceId = :ws")
          .expressionAttributeValues(Map.of(":ws", AttributeValue.fromS(workspaceId)));
    }
    Map<String, Map<String, AttributeValue>> contacts = new HashMap<>();
    Map<String, String> identifiers = new HashMap<>(); // identifier pk -> contactId
    Set<String> tags = new HashSet<>();
    List<Map<String, AttributeValue>> memberships = new ArrayList<>();
    for (Map<String, AttributeValue> item : dynamo.scanPaginator(scan.build()).items()) {
      String pk = item.get("pk").s();
      String sk = item.get("sk").s();
      if (sk.equals("CONTACT")) {
        contacts.put(pk.substring("CONTACT#".length()), item);
      } else if (sk.equals("IDENTIFIER")) {
        identifiers.put(pk, text(item, "contactId"));
      } else if (sk.equals("TAG")) {
        tags.add(pk);
      } else if (pk.startsWith("CONTACT#") && sk.startsWith("TAG#")) {
        memberships.add(item);
      }
    }
    List<String> violations = new ArrayList<>();
    Map<String, String> phoneHolder = new HashMap<>();
    Map<String, String> emailHolder = new HashMap<>();
    for (Map.Entry<String, Map<String, AttributeValue>> entry : contacts.entrySet()) {
      String id = entry.getKey();
      Map<String, AttributeValue> contact = entry.getValue();
      if (text(contact, "deletedAt") != null) {
        continue;
      }
      String ws = text(contact, "workspaceId");
      String phone = text(contact, "phone");
      String email = text(contact, "email");
      if (phone != null) {
        String key = phoneKey(ws, phone);
        String other = phoneHolder.putIfAbsent(key, id);
        if (other != null) {
          violations.add("active contacts " + other + " and " + id + " share phone " + phone);
        }
        if (!id.equals(identifiers.get(key))) {
          violations.add(
              "phone "
                  + phone
                  + " of active contact "
                  + id
                  + " is claimed by "
                  + identifiers.get(key));
        }
      }
      if (email != null) {
        String key = emailKey(ws, email);
        String other = emailHolder.putIfAbsent(key, id);
        if (other != null) {
          violations.add("active contacts " + other + " and " + id + " share email " + email);
        }
        if (!id.equals(identifiers.get(key))) {
          violations.add(
              "email "
                  + email
                  + " of active contact "
                  + id
                  + " is claimed by "
                  + identifiers.get(key));
        }
      }
      AttributeValue held = contact.get("tags");
      List<String> heldTags =
          held == null
              ? List.of()
              : held.hasL() ? held.l().stream().map(AttributeValue::s).toList() : held.ss();
      for (String tag : heldTags) {
        if (!tags.contains("WS#" + ws + "#TAG#" + tag)) {
          violations.add("tag '" + tag + "' of contact " + id + " is not registered in " + ws);
        }
      }
    }
    violations.addAll(listIndexViolations(contacts, memberships));
    for (Map.Entry<String, String> claim : identifiers.entrySet()) {
      String pk = claim.getKey();
      Map<String, AttributeValue> owner = contacts.get(claim.getValue());
      if (owner == null) {
        violations.add(pk + " points to missing contact " + claim.getValue());
      } else if (text(owner, "deletedAt") != null) {
        violations.add(pk + " points to deleted contact " + claim.getValue());
      } else {
        String ws = text(owner, "workspaceId");
        boolean holds =
            pk.equals(text(owner, "phone") == null ? null : phoneKey(ws, text(owner, "phone")))
                || pk.equals(
                    text(owner, "email") == null ? null : emailKey(ws, text(owner, "email")));
        if (!holds) {
          violations.add(pk + " points to contact " + claim.getValue() + " which does not hold it");
        }
      }
    }
    return violations;
  }

  // Written from the README's table design, not from the product's key builder.
  private static final DateTimeFormatter FIXED_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static List<String> listIndexViolations(
      Map<String, Map<String, AttributeValue>> contacts,
      List<Map<String, AttributeValue>> memberships) {
    List<String> violations = new ArrayList<>();
    Set<String> membershipKeys = new HashSet<>();
    for (Map<String, AttributeValue> membership : memberships) {
      String id = membership.get("pk").s().substring("CONTACT#".length());
      String tag = membership.get("sk").s().substring("TAG#".length());
      membershipKeys.add(id + "\n" + tag);
      Map<String, AttributeValue> contact = contacts.get(id);
      if (contact == null || text(contact, "deletedAt") != null) {
        violations.add("membership of tag '" + tag + "' belongs to no active contact " + id);
        continue;
      }
      if (!heldTags(contact).contains(tag)) {
        violations.add("membership of tag '" + tag + "' of contact " + id + " which lacks it");
      }
      String ws = text(contact, "workspaceId");
      if (!("WS#" + ws + "#TAG#" + tag).equals(text(membership, "tagListPk"))) {
        violations.add(
            "membership of tag '"
                + tag
                + "' of "
                + id
                + " has tagListPk "
                + text(membership, "tagListPk"));
      }
      if (!listSk(contact).equals(text(membership, "listSk"))) {
        violations.add(
            "membership of tag '"
                + tag
                + "' of "
                + id
                + " is at "
                + text(membership, "listSk")
                + ", the contact at "
                + listSk(contact));
      }
    }
    for (Map.Entry<String, Map<String, AttributeValue>> entry : contacts.entrySet()) {
      String id = entry.getKey();
      Map<String, AttributeValue> contact = entry.getValue();
      if (text(contact, "deletedAt") != null) {
        if (contact.containsKey("listPk")) {
          violations.add("deleted contact " + id + " is still in the workspace index");
        }
        continue;
      }
      String ws = text(contact, "workspaceId");
      if (!("WS#" + ws).equals(text(contact, "listPk"))
          || !listSk(contact).equals(text(contact, "listSk"))) {
        violations.add(
            "active contact "
                + id
                + " has index keys "
                + text(contact, "listPk")
                + " / "
                + text(contact, "listSk")
                + ", not WS#"
                + ws
                + " / "
                + listSk(contact));
      }
      for (String tag : heldTags(contact)) {
        if (!membershipKeys.contains(id + "\n" + tag)) {
          violations.add("tag '" + tag + "' of active contact " + id + " has no membership");
        }
      }
    }
    return violations;
  }

  private static String listSk(Map<String, AttributeValue> contact) {
    return FIXED_MILLIS.format(Instant.parse(text(contact, "updatedAt")))
        + "#"
        + text(contact, "id");
  }

  private static List<String> heldTags(Map<String, AttributeValue> contact) {
    AttributeValue held = contact.get("tags");
    return held == null
        ? List.of()
        : held.hasL() ? held.l().stream().map(AttributeValue::s).toList() : held.ss();
  }

  private static String phoneKey(String workspaceId, String phone) {
    return "WS#" + workspaceId + "#PHONE#" + phone;
  }

  // Written from SPEC section 3.2 (trimmed, case-insensitive), not from the product's key builder.
  private static String emailKey(String workspaceId, String email) {
    return "WS#" + workspaceId + "#EMAIL#" + email.trim().toLowerCase(Locale.ROOT);
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.nul() != null && value.nul() ? null : value.s();
  }
}
