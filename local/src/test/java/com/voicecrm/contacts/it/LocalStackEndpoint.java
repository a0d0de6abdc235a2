package com.voicecrm.contacts.it;

/**
 * Starts LocalStack for {@code mvn verify -Plocalstack} (machines with Docker). The class doing it
 * lives in src/localstack/java, compiled only by that profile, so the default build needs neither
 * Testcontainers nor Docker.
 */
final class LocalStackEndpoint {

  private LocalStackEndpoint() {}

  static String start() throws ReflectiveOperationException {
    Class<?> starter = Class.forName("com.voicecrm.contacts.it.localstack.LocalStackStarter");
    return (String) starter.getMethod("start").invoke(null);
  }
}
