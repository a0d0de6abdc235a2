package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.ListQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query rules of SPEC 9: names, values, limits, one filter, every problem listed. */
class ListQueryParserTest {

  private static final String WS = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";

  private static Map<String, List<String>> query(String... nameValues) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      query.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
    }
    return query;
  }

  private static List<String> fields(ListQuery.Parsed parsed) {
    return parsed.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void noParameters_isTheUnfilteredFirstPageOfTwenty() {
    ListQuery.Parsed parsed = ListQueryParser.parse(Map.of());

    assertEquals(List.of(), parsed.errors());
    assertEquals(20, parsed.query().limit());
    assertInstanceOf(ListQuery.All.class, parsed.query().filter());
    assertNull(parsed.query().cursor());
    assertNull(parsed.query().workspaceId());
  }

  @Test
  void workspaceId_isLowerCased_andMustBeAUuid() {
    assertEquals(
        WS, ListQueryParser.parse(query("workspaceId", WS.toUpperCase())).query().workspaceId());
    assertEquals(
        List.of("workspaceId"), fields(ListQueryParser.parse(query("workspaceId", "nope"))));
  }

  @Test
  void limit_isAWholeNumberFromOneToAHundred() {
    assertEquals(1, ListQueryParser.parse(query("limit", "1")).query().limit());
    assertEquals(100, ListQueryParser.parse(query("limit", "100")).query().limit());
    for (String bad : List.of("0", "101", "-1", "1.5", "", "ten", "0100", "99999999999")) {
      assertEquals(List.of("limit"), fields(ListQueryParser.parse(query("limit", bad))), bad);
    }
  }

  @Test
  void unknownAndRepeatedParameters_areEachNamed() {
    ListQuery.Parsed parsed =
        ListQueryParser.parse(query("Limit", "5", "sort", "id", "tag", "a", "tag", "b"));

    assertEquals(List.of("Limit", "sort", "tag"), fields(parsed));
    assertEquals("Must be given once", parsed.errors().get(2).message());
  }

  @Test
  void twoFilters_nameBoth_andEveryOtherProblemToo() {
    ListQuery.Parsed parsed =
        ListQueryParser.parse(query("tag", "vip", "updatedAfter", "yesterday", "limit", "0"));

    assertEquals(List.of("limit", "tag", "updatedAfter", "updatedAfter"), fields(parsed));
    assertTrue(parsed.errors().get(1).message().contains("tag, updatedAfter"));
  }

  @Test
  void phone_isReadAsAnUpsertReadsIt_toE164() {
    ListQuery.Filter filter =
        ListQueryParser.parse(query("phone", " +1 (415) 555-1234 ")).query().filter();

    assertEquals(new ListQuery.Phone("+14155551234"), filter);
  }

  @Test
  void phone_thatAnUpsertWouldReject_isNamed_withAHintForAnUnencodedPlus() {
    ListQuery.Parsed spaced = ListQueryParser.parse(query("phone", " 14155551234"));
    assertEquals(List.of("phone"), fields(spaced));
    assertTrue(spaced.errors().get(0).message().contains("%2B"));
    assertEquals(List.of("phone"), fields(ListQueryParser.parse(query("phone", "+1"))));
    assertEquals(
        List.of("phone"), fields(ListQueryParser.parse(query("phone", "+1 415 CALL NOW"))));
  }

  @Test
  void email_isTrimmed_andComparedByItsCaseInsensitiveKey() {
    ListQuery.Filter filter =
        ListQueryParser.parse(query("email", " John@Example.com ")).query().filter();

    assertEquals("john@example.com", filter.value());
    assertEquals(List.of("email"), fields(ListQueryParser.parse(query("email", "nope"))));
    assertEquals(
        List.of("email"), fields(ListQueryParser.parse(query("email", "a@b.c" + "c".repeat(250)))));
  }

  @Test
  void tag_isTrimmedAndExact_oneTo255Characters() {
    assertEquals(
        new ListQuery.Tag("VIP"), ListQueryParser.parse(query("tag", " VIP ")).query().filter());
    assertEquals(List.of("tag"), fields(ListQueryParser.parse(query("tag", "  "))));
    assertEquals(List.of("tag"), fields(ListQueryParser.parse(query("tag", "x".repeat(256)))));
  }

  @Test
  void updatedAfter_takesZOrAnOffset_cutToTheMillisecond() {
    assertEquals(
        new ListQuery.UpdatedAfter(Instant.parse("2024-01-15T08:30:00Z")),
        ListQueryParser.parse(query("updatedAfter", "2024-01-15T10:30:00+02:00")).query().filter());
    assertEquals(
        new ListQuery.UpdatedAfter(Instant.parse("2024-01-15T10:30:00Z")),
        ListQueryParser.parse(query("updatedAfter", "2024-01-15t10:30:00z")).query().filter());
    assertEquals(
        Instant.parse("2024-01-15T10:30:00.123Z"),
        ((ListQuery.UpdatedAfter)
                ListQueryParser.parse(query("updatedAfter", "2024-01-15T10:30:00.123999Z"))
                    .query()
                    .filter())
            .instant());
    for (String bad :
        List.of("2024-01-15", "2024-01-15T10:30:00", "1705314600", "", "+10000-01-01T00:00:00Z")) {
      assertEquals(
          List.of("updatedAfter"), fields(ListQueryParser.parse(query("updatedAfter", bad))), bad);
    }
  }

  @Test
  void updatedAfter_beforeYearZero_meansFromTheBeginning() {
    ListQuery.Filter filter =
        ListQueryParser.parse(query("updatedAfter", "-0100-01-01T00:00:00Z")).query().filter();

    assertEquals(new ListQuery.UpdatedAfter(ListQuery.EARLIEST), filter);
  }
}
