package dev.ocppj.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTransactionStoreTest {
  @TempDir Path dir;

  private static StoredMessage message(long seq) {
    return new StoredMessage(seq, "ocpp1.6", "MeterValues", "{\"n\":" + seq + ",\"text\":\"é \\n ok\"}");
  }

  @Test
  void whatIsAppendedAndNotRemovedSurvivesAReopenInOrder() throws IOException {
    Path file = dir.resolve("a/b/tx.log");
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.ALWAYS)) {
      for (long i = 1; i <= 5; i++) {
        s.append(message(i));
      }
      s.remove(2);
      s.remove(4);
    }
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.NEVER)) {
      assertThat(s.load()).containsExactly(message(1), message(3), message(5));
    }
  }

  @Test
  void aTornLastLineIsDroppedAndCutOffSoLaterAppendsAreRead() throws IOException {
    Path file = dir.resolve("tx.log");
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.ALWAYS)) {
      s.append(message(1));
      s.append(message(2));
    }
    byte[] whole = Files.readAllBytes(file);
    // A crash in the middle of writing the second line.
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 7));
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.ALWAYS)) {
      assertThat(s.load()).containsExactly(message(1));
      s.append(message(3));
    }
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.ALWAYS)) {
      assertThat(s.load()).containsExactly(message(1), message(3));
    }
  }

  @Test
  void aLineWhoseChecksumFailsEndsWhatIsTrusted() throws IOException {
    Path file = dir.resolve("tx.log");
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.ALWAYS)) {
      s.append(message(1));
    }
    Files.writeString(file, "A 2 b2NwcDEuNg== TWV0ZXJWYWx1ZXM= e30= deadbeef\n", StandardCharsets.US_ASCII,
        StandardOpenOption.APPEND);
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.ALWAYS)) {
      assertThat(s.load()).containsExactly(message(1));
    }
  }

  @Test
  void theFileIsEmptiedWhenNothingIsLeftAndCompactedWhenMostlyRemovals() throws IOException {
    Path file = dir.resolve("tx.log");
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.NEVER)) {
      s.append(message(1));
      s.remove(1);
      assertThat(Files.size(file)).isZero();
      s.append(message(0)); // stays, so removals pile up behind it
      for (long i = 1; i <= 20_000; i++) {
        s.append(message(i));
        s.remove(i);
      }
      assertThat(Files.size(file)).isLessThan(1024 * 1024 + 200);
      assertThat(s.load()).containsExactly(message(0));
    }
    try (FileTransactionStore s = new FileTransactionStore(file, FileTransactionStore.Fsync.NEVER)) {
      assertThat(s.load()).containsExactly(message(0));
    }
  }
}
