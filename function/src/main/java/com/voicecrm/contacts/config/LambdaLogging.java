package com.voicecrm.contacts.config;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of the function: each event goes to Lambda's own logger with its level, one
 * event per record (multi-line stack traces included). With the function's JSON log format (set in
 * the stack, {@code AWS_LAMBDA_LOG_FORMAT=JSON}) the binding writes the JSON object itself:
 * timestamp, level, logger, message, Lambda's request id, and the MDC's entries (the API's request
 * id and key id) as fields of their own, so they can be queried, never pasted into message text.
 * Outside Lambda it writes one line per event to stdout. The threshold is {@code
 * AWS_LAMBDA_LOG_LEVEL}, which Lambda sets from the function's application log level (else {@code
 * LOG_LEVEL}, default INFO); the AWS SDK logs from WARN only. Much lighter at cold start than a
 * logging framework.
 */
public final class LambdaLogging implements SLF4JServiceProvider {

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();
  private ILoggerFactory loggers;

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    String level = System.getenv("AWS_LAMBDA_LOG_LEVEL");
    Level threshold = parse(level != null ? level : System.getenv("LOG_LEVEL"));
    Output output =
        System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null
            ? Output.STDOUT
            : "JSON".equalsIgnoreCase(System.getenv("AWS_LAMBDA_LOG_FORMAT"))
                ? Output.LAMBDA_JSON
                : Output.LAMBDA_TEXT;
    Map<String, Logger> cache = new ConcurrentHashMap<>();
    loggers =
        name ->
            cache.computeIfAbsent(
                name,
                n ->
                    new EventLogger(
                        n,
                        n.startsWith("software.amazon.awssdk") ? Level.WARN : threshold,
                        output));
  }

  /** Where events go: stdout (local runs, tests), or Lambda's logger as text or as JSON. */
  enum Output {
    STDOUT,
    LAMBDA_TEXT,
    LAMBDA_JSON
  }

  static Level parse(String level) {
    if (level == null) {
      return Level.INFO;
    }
    String name = level.trim().toUpperCase(Locale.ROOT);
    if (name.equals("FATAL")) {
      return Level.ERROR; // Lambda's highest application level; SLF4J has none above ERROR
    }
    try {
      return Level.valueOf(name);
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  /** One logger: formats SLF4J's {} placeholders and hands the event to Lambda or stdout. */
  static final class EventLogger extends LegacyAbstractLogger {
    private final Level threshold;
    private final Output output;

    EventLogger(String name, Level threshold, Output output) {
      this.name = name;
      this.threshold = threshold;
      this.output = output;
    }

    private boolean enabled(Level level) {
      return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
      return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      String trace = null;
      if (throwable != null) {
        StringWriter text = new StringWriter();
        throwable.printStackTrace(new PrintWriter(text));
        trace = text.toString();
      }
      String logger = name.substring(name.lastIndexOf('.') + 1);
      switch (output) {
        case LAMBDA_JSON ->
            // Bytes are passed through unformatted, with the level for Lambda's own filtering.
            LambdaRuntime.getLogger()
                .log(
                    JsonRecord.of(level.name(), logger, message, trace, MDC.getCopyOfContextMap()),
                    LogLevel.valueOf(level.name()));
        case LAMBDA_TEXT ->
            LambdaRuntime.getLogger()
                .log(text(logger, message, trace), LogLevel.valueOf(level.name()));
        case STDOUT -> System.out.println(level + " " + text(logger, message, trace));
      }
    }

    private static String text(String logger, String message, String trace) {
      String context = fields(MDC.getCopyOfContextMap());
      return logger + " - " + message + context + (trace == null ? "" : "\n" + trace);
    }

    private static String fields(Map<String, String> mdc) {
      if (mdc == null || mdc.isEmpty()) {
        return "";
      }
      StringBuilder text = new StringBuilder(" [");
      // Sorted, so the same fields always read the same way.
      new TreeMap<>(mdc)
          .forEach(
              (k, v) -> text.append(text.length() > 2 ? " " : "").append(k).append('=').append(v));
      return text.append(']').toString();
    }
  }
}
