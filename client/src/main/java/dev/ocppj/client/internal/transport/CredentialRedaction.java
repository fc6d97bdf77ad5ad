package dev.ocppj.client.internal.transport;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocketImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Keeps credentials out of Java-WebSocket's TRACE log: its connection logs every buffer it
 * writes, the upgrade request with its {@code Authorization} header included. The connection's
 * logger (a per-instance field) is replaced by one that masks that header's value and passes
 * everything else on unchanged. Netty logs no headers, so it needs nothing of the kind.
 */
final class CredentialRedaction {
  private static final Logger log = LoggerFactory.getLogger(CredentialRedaction.class);
  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?im)^(authorization|proxy-authorization):[^\\r\\n]*");
  private static final Field LOG_FIELD = logField();
  private static final AtomicBoolean warned = new AtomicBoolean();

  private CredentialRedaction() {}

  /** Masks header lines that carry credentials in {@code text}. */
  static String redact(String text) {
    Matcher m = AUTHORIZATION.matcher(text);
    return m.find() ? m.replaceAll("$1: [redacted]") : text;
  }

  /** Gives {@code connection} a logger that cannot write credentials. */
  static void protect(WebSocketImpl connection) {
    try {
      if (LOG_FIELD != null) {
        Logger original = (Logger) LOG_FIELD.get(connection);
        if (!(original instanceof Redacting)) {
          LOG_FIELD.set(connection, new Redacting(original));
        }
        return;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("cannot replace Java-WebSocket's connection logger", e);
    }
    if (LoggerFactory.getLogger(WebSocketImpl.class).isTraceEnabled() && warned.compareAndSet(false, true)) {
      log.warn("Java-WebSocket logs the upgrade request at TRACE, Authorization header included;"
          + " set the level of org.java_websocket to DEBUG or above");
    }
  }

  private static Field logField() {
    try {
      Field f = WebSocketImpl.class.getDeclaredField("log");
      if (!Logger.class.isAssignableFrom(f.getType())) {
        return null;
      }
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Passes every event to the original logger, with credentials masked in its arguments. */
  static final class Redacting extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient Logger delegate;

    Redacting(Logger delegate) {
      this.delegate = delegate;
      this.name = delegate.getName();
    }

    @Override
    public boolean isTraceEnabled() {
      return delegate.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
      return delegate.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
      return delegate.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
      return delegate.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
      return delegate.isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      LoggingEventBuilder b = delegate.atLevel(level);
      if (marker != null) {
        b = b.addMarker(marker);
      }
      b = b.setMessage(pattern == null ? null : redact(pattern));
      if (arguments != null) {
        for (Object a : arguments) {
          b = b.addArgument(a instanceof CharSequence s ? redact(s.toString()) : a);
        }
      }
      if (throwable != null) {
        b = b.setCause(throwable);
      }
      b.log();
    }
  }
}
