package com.voicecrm.contacts.config;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of the function: each event goes to Lambda's own logger with its level, so the
 * function's JSON log format (set in the stack) gives one JSON object per event with timestamp,
 * level and request id, and multi-line stack traces stay one event. Outside Lambda it writes one
 * line per event to stdout. The threshold is {@code LOG_LEVEL} (default INFO); the AWS SDK logs
 * from WARN only. Much lighter at cold start than a logging framework.
 */
public final class LambdaLogging implements SLF4JServiceProvider {

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
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
    Level threshold = parse(System.getenv("LOG_LEVEL"));
    boolean inLambda = System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null;
    Map<String, Logger> cache = new ConcurrentHashMap<>();
    loggers =
        name ->
            cache.computeIfAbsent(
                name,
                n ->
                    new EventLogger(
                        n,
                        n.startsWith("software.amazon.awssdk") ? Level.WARN : threshold,
                        inLambda));
  }

  private static Level parse(String level) {
    try {
      return level == null ? Level.INFO : Level.valueOf(level.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  /** One logger: formats SLF4J's {} placeholders and hands the event to Lambda or stdout. */
  static final class EventLogger extends LegacyAbstractLogger {
    private final Level threshold;
    private final boolean inLambda;

    EventLogger(String name, Level threshold, boolean inLambda) {
      this.name = name;
      this.threshold = threshold;
      this.inLambda = inLambda;
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
      StringBuilder event = new StringBuilder(128);
      if (!inLambda) {
        event.append(level).append(' ');
      }
      event.append(name.substring(name.lastIndexOf('.') + 1)).append(" - ");
      event.append(MessageFormatter.basicArrayFormat(pattern, arguments));
      if (throwable != null) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        event.append('\n').append(trace);
      }
      if (inLambda) {
        LambdaLogger logger = LambdaRuntime.getLogger();
        logger.log(event.toString(), LogLevel.valueOf(level.name()));
      } else {
        System.out.println(event);
      }
    }
  }
}
