package com.voicecrm.contacts.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.RemovalPolicy;

class EnvironmentConfigTest {

  @Test
  void forName_defaultsToDev_whenNoName() {
    assertEquals("dev", EnvironmentConfig.forName(null).name());
    assertEquals("dev", EnvironmentConfig.forName(" ").name());
  }

  @Test
  void forName_givesUnknownNamesDevLikeDefaults_underTheirOwnName() {
    EnvironmentConfig sandbox = EnvironmentConfig.forName("alice-sandbox");
    EnvironmentConfig dev = EnvironmentConfig.forName("dev");

    assertEquals("alice-sandbox", sandbox.name());
    assertEquals(RemovalPolicy.DESTROY, sandbox.removalPolicy());
    assertFalse(sandbox.deletionProtection());
    assertEquals(dev.free(), sandbox.free());
    assertEquals(dev.alarms(), sandbox.alarms());
  }

  @Test
  void forName_prod_retainsAndProtectsData_andTraces() {
    EnvironmentConfig prod = EnvironmentConfig.forName("prod");

    assertEquals(RemovalPolicy.RETAIN, prod.removalPolicy());
    assertTrue(prod.deletionProtection());
    assertTrue(prod.tracing());
    assertTrue(prod.alarmEmail().isEmpty());
  }

  @Test
  void javaToolOptions_defaultToEmpty() {
    assertEquals("", EnvironmentConfig.forName("dev").javaToolOptions());
    assertEquals("", EnvironmentConfig.forName("prod").javaToolOptions());
  }

  @Test
  void constructor_rejectsNamesThatCannotBeStageOrStackNames() {
    assertThrows(IllegalArgumentException.class, () -> EnvironmentConfig.forName("Prod"));
    assertThrows(IllegalArgumentException.class, () -> EnvironmentConfig.forName("dev_1"));
    assertThrows(IllegalArgumentException.class, () -> EnvironmentConfig.forName("a b"));
  }

  @Test
  void withAlarmEmail_blankMeansNone() {
    assertTrue(EnvironmentConfig.forName("dev").withAlarmEmail(" ").alarmEmail().isEmpty());
    assertEquals(
        "ops@example.com",
        EnvironmentConfig.forName("dev").withAlarmEmail("ops@example.com").alarmEmail().get());
  }
}
