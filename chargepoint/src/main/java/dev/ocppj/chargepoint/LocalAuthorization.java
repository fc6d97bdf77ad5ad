package dev.ocppj.chargepoint;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local authorization list (managed by the CSMS with SendLocalList) and the authorization
 * cache (filled from Authorize and transaction answers), as 1.6 section 3.4 and 2.x block C/D
 * describe them. Statuses are kept in the version's spelling (Accepted, Blocked, Expired,
 * Invalid, ...). Guarded by its station's lock.
 */
final class LocalAuthorization {
  /** An entry: the token's status, its expiry (or null) and group id (or null). */
  record Entry(String status, OffsetDateTime expiry, String groupId) {
    /** The status as it stands at {@code now}: Accepted past its expiry is Expired. */
    String statusAt(OffsetDateTime now) {
      return expiry != null && expiry.isBefore(now) && "Accepted".equals(status) ? "Expired" : status;
    }
  }

  private final int maxListLength;
  private final int maxCacheEntries;
  private int version;
  private final Map<String, Entry> list = new LinkedHashMap<>();
  private final LinkedHashMap<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true);

  LocalAuthorization(int maxListLength, int maxCacheEntries) {
    this.maxListLength = maxListLength;
    this.maxCacheEntries = maxCacheEntries;
  }

  /** The list's version (0: no list, as both versions report it). */
  int version() {
    return version;
  }

  int size() {
    return list.size();
  }

  int maxListLength() {
    return maxListLength;
  }

  /** The list entry for {@code token}, or null. */
  Entry listEntry(String token) {
    return list.get(token);
  }

  /** The cache entry for {@code token}, or null. */
  Entry cacheEntry(String token) {
    return cache.get(token);
  }

  /** Remembers an answer the CSMS gave for {@code token}, evicting the least recently used entry when full. */
  void cache(String token, Entry entry) {
    cache.put(token, entry);
    while (cache.size() > maxCacheEntries) {
      cache.remove(cache.keySet().iterator().next());
    }
  }

  void clearCache() {
    cache.clear();
  }

  int cacheSize() {
    return cache.size();
  }

  /**
   * Applies a SendLocalList: {@code full} replaces the list, otherwise each entry is added or
   * updated and an entry with a null status removed. Returns the spec's status: Accepted,
   * VersionMismatch (a differential update not newer than the list), or Failed (too long).
   */
  String update(boolean full, int newVersion, List<Map.Entry<String, Entry>> entries) {
    if (!full && newVersion <= version) {
      return "VersionMismatch";
    }
    Map<String, Entry> next = new LinkedHashMap<>(full ? Map.of() : list);
    for (Map.Entry<String, Entry> e : entries) {
      if (e.getValue() == null || e.getValue().status() == null) {
        next.remove(e.getKey());
      } else {
        next.put(e.getKey(), e.getValue());
      }
    }
    if (next.size() > maxListLength) {
      return "Failed";
    }
    list.clear();
    list.putAll(next);
    version = newVersion;
    return "Accepted";
  }
}
