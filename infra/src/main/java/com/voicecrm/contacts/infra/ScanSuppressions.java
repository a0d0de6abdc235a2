package com.voicecrm.contacts.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * Suppressions of the template scanners (infra/scripts/scan.sh), written into the one resource they
 * concern, each with its reason: checkov reads {@code Metadata.checkov.skip} ({@code id} and {@code
 * comment}); cfn-lint reads {@code Metadata.cfn-lint.config.ignore_checks}, and keeps the reasons
 * next to it under {@code reasons} (cfn-lint ignores that key). The cdk-nag equivalent is {@code
 * NagSuppressions}, used by the stacks directly.
 */
final class ScanSuppressions {

  static final String CHECKOV = "checkov";
  static final String CFN_LINT = "cfn-lint";

  private ScanSuppressions() {}

  /** Skips checkov check {@code id} on this resource (or the construct's default resource). */
  static void checkov(IConstruct construct, String id, String reason) {
    CfnResource resource = resourceOf(construct);
    Map<String, Object> checkov = copy(resource.getMetadata(CHECKOV));
    List<Object> skips = new ArrayList<>();
    if (checkov.get("skip") instanceof List<?> existing) {
      skips.addAll(existing);
    }
    skips.add(Map.of("id", id, "comment", requireReason(reason)));
    checkov.put("skip", skips);
    resource.addMetadata(CHECKOV, checkov);
  }

  /** Ignores cfn-lint rule {@code rule} on this resource (or the construct's default resource). */
  static void cfnLint(IConstruct construct, String rule, String reason) {
    CfnResource resource = resourceOf(construct);
    Map<String, Object> cfnLint = copy(resource.getMetadata(CFN_LINT));
    Map<String, Object> config = copy(cfnLint.get("config"));
    List<Object> ignored = new ArrayList<>();
    if (config.get("ignore_checks") instanceof List<?> existing) {
      ignored.addAll(existing);
    }
    ignored.add(rule);
    config.put("ignore_checks", ignored);
    Map<String, Object> reasons = copy(cfnLint.get("reasons"));
    reasons.put(rule, requireReason(reason));
    cfnLint.put("config", config);
    cfnLint.put("reasons", reasons);
    resource.addMetadata(CFN_LINT, cfnLint);
  }

  private static CfnResource resourceOf(IConstruct construct) {
    if (construct instanceof CfnResource resource) {
      return resource;
    }
    if (construct.getNode().getDefaultChild() instanceof CfnResource resource) {
      return resource;
    }
    throw new IllegalArgumentException(construct.getNode().getPath() + " has no CFN resource");
  }

  private static Map<String, Object> copy(Object map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    if (map instanceof Map<?, ?> existing) {
      existing.forEach((k, v) -> copy.put(k.toString(), v));
    }
    return copy;
  }

  private static String requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a suppression needs its reason");
    }
    return reason;
  }
}
