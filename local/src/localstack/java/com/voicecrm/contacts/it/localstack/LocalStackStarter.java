package com.voicecrm.contacts.it.localstack;

import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack's DynamoDB in a container, for the opt-in {@code localstack} profile. */
public final class LocalStackStarter {

  private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.9");

  private LocalStackStarter() {}

  /** Starts the container (stopped by Testcontainers when the JVM exits) and returns its endpoint. */
  public static String start() {
    LocalStackContainer container =
        new LocalStackContainer(IMAGE).withServices(LocalStackContainer.Service.DYNAMODB);
    container.start();
    return container.getEndpointOverride(LocalStackContainer.Service.DYNAMODB).toString();
  }
}
