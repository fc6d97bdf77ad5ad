package dev.ocppj.client.internal.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.protocols.IProtocol;

/**
 * A draft that offers our subprotocols, accepts any answer, reports the status line, and
 * names the size of a message over the limit.
 */
final class OcppDraft extends Draft_6455 {
  // The library works on a copy of the draft it is given, so copies share the sinks.
  private final BiConsumer<Integer, String> statusSink;
  private final Consumer<String> tooBigSink;
  private final int maxMessageSize;
  // The payload bytes of the fragmented message being received. Read thread only.
  private long fragmentBytes;

  OcppDraft(
      List<IProtocol> protocols,
      BiConsumer<Integer, String> statusSink,
      int maxMessageSize,
      Consumer<String> tooBigSink) {
    super(Collections.emptyList(), protocols, maxMessageSize);
    this.statusSink = statusSink;
    this.tooBigSink = tooBigSink;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public Handshakedata translateHandshake(ByteBuffer buf) throws InvalidHandshakeException {
    // Java-WebSocket turns a non-101 answer into an exception whose text is its only trace of
    // the status; read the status line ourselves before it does.
    ByteBuffer peek = buf.duplicate();
    StringBuilder line = new StringBuilder();
    while (peek.hasRemaining() && line.length() < 256) {
      char ch = (char) (peek.get() & 0xff);
      if (ch == '\r' || ch == '\n') {
        break;
      }
      line.append(ch);
    }
    String[] parts = line.toString().split(" ", 3);
    if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
      try {
        statusSink.accept(Integer.parseInt(parts[1]), line.toString());
      } catch (NumberFormatException ignored) {
        // Not a status line; the library reports the malformed answer itself.
      }
    }
    return super.translateHandshake(buf);
  }

  @Override
  public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
    ByteBuffer view = buffer.duplicate();
    boolean atFrameStart = atFrameStart();
    try {
      return super.translateFrame(buffer);
    } catch (LimitExceededException e) {
      long announced = announcedOverLimit(view, maxMessageSize);
      throw tooBig(
          announced > 0
              ? "message of " + announced + " bytes exceeds maxMessageSize " + maxMessageSize
              : "message exceeds maxMessageSize " + maxMessageSize);
    } catch (InvalidDataException e) {
      if (!atFrameStart) {
        throw e;
      }
      return framesBefore(view, e);
    }
  }

  /**
   * The library parses a whole read before it processes a frame, so an invalid frame (text that
   * is not UTF-8, say) would swallow the valid ones before it in the same read, an answer among
   * them. Parses {@code view} again frame by frame and returns the frames before the invalid one,
   * then one that raises {@code error} when processed: the answer is delivered, then the
   * connection closes as before.
   */
  private List<Framedata> framesBefore(ByteBuffer view, InvalidDataException error) {
    List<Framedata> frames = new ArrayList<>();
    try {
      while (view.hasRemaining()) {
        int end = endOfFrame(view);
        if (end < 0) {
          break;
        }
        ByteBuffer one = view.duplicate(); // not a slice: the library indexes the backing array
        one.limit(end);
        frames.addAll(super.translateFrame(one));
        view.position(end);
      }
    } catch (InvalidDataException expected) {
      // the frame that failed the first time
    }
    frames.add(new Deferred(error));
    return frames;
  }

  /** True if no partial frame from an earlier read is pending in the library's parser. */
  private boolean atFrameStart() {
    try {
      return INCOMPLETE_FRAME != null && INCOMPLETE_FRAME.get(this) == null;
    } catch (IllegalAccessException e) {
      return false;
    }
  }

  private static final java.lang.reflect.Field INCOMPLETE_FRAME = incompleteFrameField();

  private static java.lang.reflect.Field incompleteFrameField() {
    try {
      java.lang.reflect.Field f = Draft_6455.class.getDeclaredField("incompleteframe");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // then an invalid frame still drops the frames before it in its read
    }
  }

  /** The position after the first whole frame in {@code buf}, or -1 if it is not all there. */
  private static int endOfFrame(ByteBuffer buf) {
    int p = buf.position();
    if (buf.limit() - p < 2) {
      return -1;
    }
    int b1 = buf.get(p + 1) & 0xff;
    int lengthField = b1 & 0x7f;
    int extra = lengthField == 126 ? 2 : lengthField == 127 ? 8 : 0;
    int header = 2 + extra + ((b1 & 0x80) != 0 ? 4 : 0);
    if (buf.limit() - p < header) {
      return -1;
    }
    long len = lengthField;
    if (extra > 0) {
      len = 0;
      for (int i = 0; i < extra; i++) {
        len = (len << 8) | (buf.get(p + 2 + i) & 0xff);
      }
    }
    long end = p + header + len;
    return len < 0 || end > buf.limit() ? -1 : (int) end;
  }

  /** Stands for an invalid frame after valid ones: processing it raises the parser's error. */
  private static final class Deferred extends org.java_websocket.framing.ContinuousFrame {
    private final InvalidDataException error;

    Deferred(InvalidDataException error) {
      this.error = error;
    }
  }

  @Override
  public void processFrame(WebSocketImpl webSocketImpl, Framedata frame) throws InvalidDataException {
    if (frame instanceof Deferred d) {
      throw d.error;
    }
    // Java-WebSocket 1.6 checks the size of a fragmented message only at its last fragment, so
    // endless continuation frames would fill the heap: count them here. Read thread only.
    Opcode op = frame.getOpcode();
    if (op == Opcode.CONTINUOUS || (!frame.isFin() && (op == Opcode.TEXT || op == Opcode.BINARY))) {
      fragmentBytes = (op == Opcode.CONTINUOUS ? fragmentBytes : 0) + frame.getPayloadData().remaining();
      if (fragmentBytes > maxMessageSize) {
        throw tooBig("fragmented message exceeds maxMessageSize " + maxMessageSize);
      }
      if (frame.isFin()) {
        fragmentBytes = 0;
      }
    }
    try {
      super.processFrame(webSocketImpl, frame);
    } catch (LimitExceededException e) {
      throw tooBig("fragmented message exceeds maxMessageSize " + maxMessageSize);
    }
  }

  /** Reports the refusal; the library closes with 1009 and this text as the reason. */
  private LimitExceededException tooBig(String why) {
    tooBigSink.accept(why);
    return new LimitExceededException(why, maxMessageSize);
  }

  /**
   * The payload length announced by the first frame header in {@code buf} that exceeds {@code
   * limit}; -1 if none can be read (the headers are split across reads).
   */
  private static long announcedOverLimit(ByteBuffer buf, int limit) {
    while (buf.remaining() >= 2) {
      buf.get();
      int b1 = buf.get() & 0xff;
      long len = b1 & 0x7f;
      int extra = len == 126 ? 2 : len == 127 ? 8 : 0;
      if (buf.remaining() < extra) {
        return -1;
      }
      if (extra > 0) {
        len = 0;
        for (int i = 0; i < extra; i++) {
          len = (len << 8) | (buf.get() & 0xff);
        }
      }
      if (len > limit || len < 0) {
        return len < 0 ? Long.MAX_VALUE : len;
      }
      int skip = ((b1 & 0x80) != 0 ? 4 : 0) + (int) len;
      if (buf.remaining() < skip) {
        return -1;
      }
      buf.position(buf.position() + skip);
    }
    return -1;
  }

  @Override
  public Draft copyInstance() {
    return new OcppDraft(new ArrayList<>(getKnownProtocols()), statusSink, maxMessageSize, tooBigSink);
  }
}

