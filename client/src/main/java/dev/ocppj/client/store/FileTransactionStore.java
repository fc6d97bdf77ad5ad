package dev.ocppj.client.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * {@link TransactionStore} in one append-only file: each append and each removal is one line
 * written with a single write at the end of the file, with a CRC-32 of its content. A crash can
 * only leave the last line incomplete; {@link #load()} (and opening the store) drops such a line
 * and truncates the file before it, so a torn write loses at most the message being appended
 * when the process died, never one appended before.
 *
 * <p>{@link Fsync#ALWAYS} forces every line to the disk before {@code append} or {@code remove}
 * returns: nothing acknowledged is lost even if the machine loses power. {@link Fsync#NEVER}
 * leaves that to the operating system: a crash or kill of the JVM loses nothing (the line is in
 * the kernel's cache when the call returns), a power loss may lose the last few seconds.
 *
 * <p>When no message is left the file is truncated to empty; when it holds more than 1 MiB of
 * lines for few live messages, it is rewritten to a temporary file that replaces it atomically.
 */
public final class FileTransactionStore implements TransactionStore {
  /** When lines reach the disk. */
  public enum Fsync {
    /** Before each {@code append} and {@code remove} returns. */
    ALWAYS,
    /** When the operating system writes its cache back. */
    NEVER
  }

  private static final long COMPACT_BYTES = 1024 * 1024;

  private final Path path;
  private final Fsync fsync;
  private final TreeMap<Long, StoredMessage> live = new TreeMap<>();
  private FileChannel file;

  /** Opens (or creates) the store at {@code path}, reading what it holds. */
  public FileTransactionStore(Path path, Fsync fsync) throws IOException {
    this.path = path.toAbsolutePath();
    this.fsync = fsync;
    Path dir = this.path.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    file = FileChannel.open(this.path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    replay();
  }

  @Override
  public synchronized void append(StoredMessage m) throws IOException {
    String body =
        "A " + m.sequence() + " " + encode(m.version()) + " " + encode(m.action()) + " " + encode(m.payload());
    write(body);
    live.put(m.sequence(), m);
  }

  @Override
  public synchronized void remove(long sequence) throws IOException {
    if (live.remove(sequence) == null) {
      return;
    }
    if (live.isEmpty()) {
      file.truncate(0);
      force();
      return;
    }
    write("R " + sequence);
    if (file.size() > COMPACT_BYTES && file.size() > 16L * approximateLiveBytes()) {
      compact();
    }
  }

  @Override
  public synchronized List<StoredMessage> load() {
    return new ArrayList<>(live.values());
  }

  @Override
  public synchronized void close() throws IOException {
    file.close();
  }

  private void write(String body) throws IOException {
    byte[] line = (body + " " + crc(body) + "\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buf = ByteBuffer.wrap(line);
    long at = file.size();
    while (buf.hasRemaining()) {
      at += file.write(buf, at);
    }
    force();
  }

  private void force() throws IOException {
    if (fsync == Fsync.ALWAYS) {
      file.force(false);
    }
  }

  /** Reads the file: appends and removals in order; a torn or corrupt tail is cut off. */
  private void replay() throws IOException {
    byte[] all = Files.readAllBytes(path);
    int start = 0;
    int good = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] != '\n') {
        continue;
      }
      String line = new String(all, start, i - start, StandardCharsets.US_ASCII);
      start = i + 1;
      if (!apply(line)) {
        break; // a line that does not check out: nothing after it can be trusted
      }
      good = start;
    }
    if (good < all.length) {
      file.truncate(good);
      force();
    }
  }

  private boolean apply(String line) {
    int lastSpace = line.lastIndexOf(' ');
    if (lastSpace < 0) {
      return false;
    }
    String body = line.substring(0, lastSpace);
    if (!line.substring(lastSpace + 1).equals(crc(body))) {
      return false;
    }
    String[] f = body.split(" ");
    try {
      if (f[0].equals("A") && f.length == 5) {
        long seq = Long.parseLong(f[1]);
        live.put(seq, new StoredMessage(seq, decode(f[2]), decode(f[3]), decode(f[4])));
        return true;
      }
      if (f[0].equals("R") && f.length == 2) {
        live.remove(Long.parseLong(f[1]));
        return true;
      }
    } catch (IllegalArgumentException e) {
      return false;
    }
    return false;
  }

  /** Rewrites the live messages to a new file that atomically replaces the old one. */
  private void compact() throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      for (StoredMessage m : live.values()) {
        String body =
            "A " + m.sequence() + " " + encode(m.version()) + " " + encode(m.action()) + " " + encode(m.payload());
        out.write(ByteBuffer.wrap((body + " " + crc(body) + "\n").getBytes(StandardCharsets.US_ASCII)));
      }
      out.force(false);
    }
    file.close();
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private long approximateLiveBytes() {
    long n = 0;
    for (StoredMessage m : live.values()) {
      n += 40 + m.payload().length() * 4L / 3;
    }
    return n;
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  private static String crc(String body) {
    CRC32 c = new CRC32();
    c.update(body.getBytes(StandardCharsets.US_ASCII));
    return Long.toHexString(c.getValue());
  }
}
