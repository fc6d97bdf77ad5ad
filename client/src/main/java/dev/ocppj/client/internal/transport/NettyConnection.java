package dev.ocppj.client.internal.transport;

import dev.ocppj.client.internal.runtime.SharedRuntime;
import dev.ocppj.client.rpc.BadMessageException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt and, once open, one WebSocket on the shared event loops. The handler at the end of
 * the channel's pipeline: it runs the upgrade (status and subprotocol checked first, with clear
 * messages), then hands text to the listener, answers pings, runs the close handshake, and
 * reports the end exactly once.
 *
 * <p>Bounds: the frame decoder refuses a frame over {@code maxMessageSize} from its header and
 * the frame aggregator a fragmented message over it (close 1009); reading pauses through the
 * channel's autoRead; the channel turns unwritable once {@code maxOutboundBytes} wait to be
 * written (the write-buffer high-water mark), and then the connection is dropped.
 *
 * <p>Threads: every callback runs on the channel's event loop, which serves many connections:
 * nothing here blocks. {@link #send} and the other {@link Connection} methods are called from any
 * thread. Name resolution, blocking in the JDK, runs on the library's default executor.
 */
final class NettyConnection extends ChannelInboundHandlerAdapter implements WebSocketTransport.Connection {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);
  // The HTTP answer to the upgrade is small; anything bigger is not a WebSocket server.
  private static final int MAX_UPGRADE_RESPONSE = 64 * 1024;

  private final WebSocketTransport.ConnectRequest request;
  private final WebSocketTransport.Listener listener;
  private final List<String> offered;
  private final boolean tls;
  private final WebSocketClientHandshaker handshaker;
  private final EventLoopGroup group;
  private final AtomicBoolean reported = new AtomicBoolean();

  private volatile Channel channel;
  private volatile boolean opened;
  private volatile boolean aborted;
  private volatile boolean closeSent;
  // Why we dropped the connection ourselves; reported as the close reason.
  private volatile String dropReason;
  // Event loop only: why the attempt failed, and how the connection closed.
  private WebSocketTransport.Failure failure;
  private int failureStatus = -1;
  private String failureMessage;
  private Throwable failureCause;
  private int closeCode = -1;
  private String closeReason = "";
  private boolean closeRemote;

  NettyConnection(WebSocketTransport.ConnectRequest request, WebSocketTransport.Listener listener) {
    this.request = request;
    this.listener = listener;
    this.offered = List.copyOf(request.subprotocols());
    this.tls = "wss".equalsIgnoreCase(request.url().getScheme());
    HttpHeaders headers = new DefaultHttpHeaders();
    request.headers().forEach(headers::set);
    this.handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(
            request.url(),
            WebSocketVersion.V13,
            String.join(", ", offered),
            /* allowExtensions= */ false,
            headers,
            request.maxMessageSize(),
            /* performMasking= */ true,
            /* allowMaskMismatch= */ false,
            /* forceCloseTimeoutMillis= */ -1,
            /* absoluteUpgradeUrl= */ false,
            /* generateOriginHeader= */ false);
    this.group = EventLoops.acquire();
  }

  /** Resolves the host (off the event loops if it is a name) and connects. */
  void start() {
    URI url = request.url();
    String host = url.getHost();
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (NetUtil.isValidIpV4Address(literal) || NetUtil.isValidIpV6Address(literal)) {
      connect(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(literal), port), host, port);
      return;
    }
    SharedRuntime.userExecutor()
        .execute(
            () -> {
              try {
                connect(new InetSocketAddress(InetAddress.getByName(host), port), host, port);
              } catch (UnknownHostException e) {
                reportFailure(WebSocketTransport.Failure.NETWORK, -1, describe(e), e);
              }
            });
  }

  private void connect(InetSocketAddress address, String host, int port) {
    if (aborted) {
      reportFailure(WebSocketTransport.Failure.ABORTED, -1, "connect aborted", null);
      return;
    }
    SSLEngine engine;
    try {
      engine = tls ? sslEngine(host, port) : null;
    } catch (GeneralSecurityException | RuntimeException e) {
      reportFailure(WebSocketTransport.Failure.LOCAL, -1, "cannot set up TLS: " + describe(e), e);
      return;
    }
    long max = request.maxOutboundBytes();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(EventLoops.channelType())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, request.connectTimeout().toMillis()))
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark((int) Math.min(Integer.MAX_VALUE / 2, max / 2), (int) Math.min(Integer.MAX_VALUE, max)))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (engine != null) {
                      ch.pipeline().addLast("tls", new SslHandler(engine));
                    }
                    ch.pipeline().addLast("http", new HttpClientCodec());
                    ch.pipeline().addLast("upgrade", new HttpObjectAggregator(MAX_UPGRADE_RESPONSE));
                    ch.pipeline().addLast("ocpp", NettyConnection.this);
                  }
                });
    ChannelFuture connecting = b.connect(address);
    channel = connecting.channel();
    if (aborted) {
      channel.close();
    }
    connecting.addListener(
        (ChannelFutureListener)
            f -> {
              if (!f.isSuccess()) {
                reportFailure(
                    aborted ? WebSocketTransport.Failure.ABORTED : WebSocketTransport.Failure.NETWORK,
                    -1,
                    aborted ? "connect aborted" : describe(f.cause()),
                    f.cause());
              }
            });
  }

  private SSLEngine sslEngine(String host, int port) throws GeneralSecurityException {
    SSLContext context = request.sslContext() != null ? request.sslContext() : SSLContext.getDefault();
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    if (request.hostnameVerification()) {
      // The certificate must name the host connected to, as in HTTPS.
      SSLParameters p = engine.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(p);
    }
    return engine;
  }

  // ---- Connection, from any thread

  @Override
  public boolean send(String text) {
    Channel ch = channel;
    if (ch == null || !opened || closeSent || dropReason != null) {
      return false;
    }
    ch.writeAndFlush(new TextWebSocketFrame(text), ch.voidPromise());
    checkWritable(ch);
    return true;
  }

  @Override
  public boolean ping() {
    Channel ch = channel;
    if (ch == null || !opened || dropReason != null) {
      return false;
    }
    ch.writeAndFlush(new PingWebSocketFrame(), ch.voidPromise());
    checkWritable(ch);
    return true;
  }

  /** Past the high-water mark the peer is not reading: drop the connection. */
  private void checkWritable(Channel ch) {
    if (!ch.isWritable() && dropReason == null) {
      drop(
          "the CSMS did not read " + request.maxOutboundBytes() + " bytes of outgoing frames (maxOutboundBytes "
              + request.maxOutboundBytes() + "); connection dropped");
    }
  }

  @Override
  public void pauseReading() {
    Channel ch = channel;
    if (ch != null) {
      ch.config().setAutoRead(false);
    }
  }

  @Override
  public void resumeReading() {
    Channel ch = channel;
    if (ch != null) {
      ch.config().setAutoRead(true);
    }
  }

  @Override
  public void close(int code, String reason) {
    Channel ch = channel;
    if (ch == null || !opened) {
      abort();
      return;
    }
    if (closeSent) {
      return; // one close frame per connection (a refusal may have sent it before a close())
    }
    closeSent = true;
    ch.config().setAutoRead(true); // the peer's close frame must be read, paused or not
    ch.writeAndFlush(new CloseWebSocketFrame(code, reason));
  }

  @Override
  public void abort() {
    drop(opened ? "connection dropped by the client" : "connect aborted");
  }

  private void drop(String reason) {
    if (dropReason == null) {
      dropReason = reason;
    }
    aborted = true;
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  // ---- the channel, on its event loop

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!tls) {
      handshake(ctx);
    }
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        handshake(ctx);
      } else {
        fail(WebSocketTransport.Failure.TLS, -1, "TLS handshake failed: " + describe(done.cause()), done.cause());
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void handshake(ChannelHandlerContext ctx) {
    handshaker.handshake(ctx.channel()).addListener(
        (ChannelFutureListener)
            f -> {
              if (!f.isSuccess()) {
                fail(WebSocketTransport.Failure.NETWORK, -1, describe(f.cause()), f.cause());
                f.channel().close();
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof WebSocketFrame frame) {
        frame(ctx, frame);
      } else if (msg instanceof FullHttpResponse response && !opened) {
        upgraded(ctx, response);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void upgraded(ChannelHandlerContext ctx, FullHttpResponse response) {
    HttpResponseStatus status = response.status();
    if (!HttpResponseStatus.SWITCHING_PROTOCOLS.equals(status)) {
      fail(
          WebSocketTransport.Failure.HTTP_STATUS,
          status.code(),
          "server answered the upgrade with " + response.protocolVersion() + " " + status,
          null);
      ctx.close();
      return;
    }
    String selected = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    String rejection = SubprotocolCheck.rejection(selected, offered);
    if (rejection != null) {
      fail(WebSocketTransport.Failure.SUBPROTOCOL, -1, rejection, null);
      ctx.close();
      return;
    }
    try {
      handshaker.finishHandshake(ctx.channel(), response);
    } catch (RuntimeException e) {
      fail(WebSocketTransport.Failure.NETWORK, -1, "invalid upgrade answer: " + e.getMessage(), e);
      ctx.close();
      return;
    }
    // The handshaker leaves its frame encoder behind the decoder, where a close frame the decoder
    // sends for a protocol violation (1009 for a frame over the limit) would never be encoded.
    ctx.pipeline().remove("ws-encoder");
    ctx.pipeline().addBefore("ws-decoder", "ws-encoder", new WebSocket13FrameEncoder(true));
    // Text must be UTF-8 (RFC 6455 8.1): a frame that is not fails the connection with 1007;
    // the handshaker's decoder does not check it.
    ctx.pipeline().addAfter("ws-decoder", "utf8", new Utf8FrameValidator(true));
    // Fragments are assembled, up to the same limit as a single frame.
    ctx.pipeline().addBefore(ctx.name(), "fragments", new WebSocketFrameAggregator(request.maxMessageSize()));
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, String> h : response.headers()) {
      headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
    }
    opened = true;
    if (aborted) {
      ctx.close();
      return;
    }
    listener.onOpen(this, selected.trim(), headers);
  }

  private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      listener.onText(text.text());
    } else if (frame instanceof BinaryWebSocketFrame binary) {
      listener.onBinary(binary.content().readableBytes());
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), ctx.voidPromise());
      checkWritable(ctx.channel());
      listener.onPing();
    } else if (frame instanceof PongWebSocketFrame) {
      listener.onPong();
    } else if (frame instanceof CloseWebSocketFrame close) {
      closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
      closeReason = close.reasonText() == null ? "" : close.reasonText();
      if (closeSent) {
        closeRemote = false; // the answer to ours
        ctx.close();
      } else {
        closeRemote = true; // echo the peer's close, then end the connection
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode == 1005 ? 1000 : closeCode, ""))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupt) {
      // The decoder has sent its close frame (1009 for a frame over the limit, 1002 else).
      closeCode = corrupt.closeStatus().code();
      closeReason = corrupt.getMessage();
      closeRemote = false;
      if (closeCode == 1009) {
        listener.onError(new BadMessageException(
            "message exceeds maxMessageSize " + request.maxMessageSize() + "; closing with 1009", ""));
      }
      return; // the decoder closes the channel once its close frame is out
    }
    if (cause instanceof TooLongFrameException) {
      closeCode = 1009;
      closeReason = "fragmented message exceeds maxMessageSize " + request.maxMessageSize();
      closeRemote = false;
      listener.onError(new BadMessageException(closeReason + "; closing with 1009", ""));
      closeSent = true;
      ctx.writeAndFlush(new CloseWebSocketFrame(1009, closeReason)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (!opened) {
      if (cause instanceof SSLException || (cause.getCause() instanceof SSLException)) {
        fail(WebSocketTransport.Failure.TLS, -1, "TLS handshake failed: " + describe(cause), cause);
      } else {
        fail(WebSocketTransport.Failure.NETWORK, -1, describe(cause), cause);
      }
    } else {
      log.debug("connection error", cause);
      listener.onError(cause);
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (opened) {
      report(
          () -> {
            String dropped = dropReason;
            if (dropped != null) {
              listener.onClose(1006, dropped, false);
            } else if (closeCode >= 0) {
              listener.onClose(closeCode, closeReason, closeRemote);
            } else {
              listener.onClose(1006, "connection closed without a close frame", true);
            }
          });
    } else if (failure != null) {
      reportFailure(failure, failureStatus, failureMessage, failureCause);
    } else if (aborted) {
      reportFailure(WebSocketTransport.Failure.ABORTED, -1, "connect aborted", null);
    } else {
      reportFailure(WebSocketTransport.Failure.NETWORK, -1, "connection closed during the handshake", null);
    }
    ctx.fireChannelInactive();
  }

  /** Records why the attempt failed; the first reason wins. Event loop. */
  private void fail(WebSocketTransport.Failure f, int status, String message, Throwable cause) {
    if (failure == null) {
      failure = aborted ? WebSocketTransport.Failure.ABORTED : f;
      failureStatus = status;
      failureMessage = aborted ? "connect aborted" : message;
      failureCause = cause;
    }
  }

  private void reportFailure(WebSocketTransport.Failure f, int status, String message, Throwable cause) {
    report(() -> listener.onConnectFailed(f, status, message, cause));
  }

  /** Reports the end, once, and gives the event-loop lease back. */
  private void report(Runnable end) {
    if (reported.compareAndSet(false, true)) {
      try {
        end.run();
      } finally {
        EventLoops.release(group);
      }
    }
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    // Netty's own subclasses (AnnotatedConnectException...) are named by the JDK type they extend.
    Class<?> type = t.getClass();
    while (type.getName().startsWith("io.netty.") && type.getSuperclass() != null) {
      type = type.getSuperclass();
    }
    String m = t.getMessage();
    return type.getSimpleName() + (m == null ? "" : ": " + m);
  }
}
