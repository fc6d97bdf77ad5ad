package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.StationJson.object;
import static dev.ocppj.chargepoint.StationJson.oneOf;
import static dev.ocppj.chargepoint.StationJson.optInt;
import static dev.ocppj.chargepoint.StationJson.optTime;
import static dev.ocppj.chargepoint.StationJson.require;
import static dev.ocppj.chargepoint.StationJson.requireInt;
import static dev.ocppj.chargepoint.StationJson.requireText;
import static dev.ocppj.chargepoint.StationJson.requireTime;
import static dev.ocppj.chargepoint.StationJson.status;

import dev.ocppj.client.rpc.IncomingCall;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The transfer state machines: firmware updates (1.6 UpdateFirmware, the whitepaper's
 * SignedUpdateFirmware), diagnostics uploads (GetDiagnostics) and log uploads (GetLog). Each is
 * a list of steps, a notification each, paced by the profile's stepDelay on the station timer
 * and queued as station work; a newer request of the same kind cancels the one running. The
 * transfer itself is simulated: a location whose scheme is not ftp, ftps, http, https or sftp
 * fails (DownloadFailed / UploadFailed / UploadFailure), any other succeeds.
 */
final class Cp16Firmware {
  private static final Set<String> SCHEMES = Set.of("ftp", "ftps", "http", "https", "sftp");
  private static final Pattern VERSION = Pattern.compile("(\\d+(?:\\.\\d+)+)");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private static final int FIRMWARE = 0;
  private static final int DIAGNOSTICS = 1;
  private static final int LOG = 2;

  /** A step: wait {@code before}, then run {@code action} as station work. */
  private record Step(Duration before, Supplier<CompletableFuture<?>> action) {}

  private final ChargePoint cp;
  // All guarded by cp.
  private final int[] runs = new int[3];
  private final ScheduledFuture<?>[] timers = new ScheduledFuture<?>[3];
  private final String[] states = {"Idle", "Idle", "Idle"};
  private boolean signedFirmware;
  private Integer firmwareRequestId;
  private Integer logRequestId;
  /** Whether the reboot in progress installs firmware (Installed follows the boot). */
  private boolean installing;

  Cp16Firmware(ChargePoint cp) {
    this.cp = cp;
  }

  // ---- 1.6 FirmwareManagement

  /**
   * Section 5.19: answers with the file name it will upload; then Uploading and Uploaded
   * (UploadFailed for a location it cannot reach). startTime/stopTime and the retries are read
   * and accepted; the simulated log always has content, so the file name is never empty.
   */
  Object getDiagnostics(IncomingCall call) {
    JsonNode p = call.params();
    String location = requireText(p, "location");
    optInt(p, "retries", null);
    optInt(p, "retryInterval", null);
    optTime(p, "startTime");
    optTime(p, "stopTime");
    String file = fileName("diagnostics", ".zip");
    boolean ok = reachable(location);
    List<Step> steps = List.of(
        new Step(Duration.ZERO, notify(DIAGNOSTICS, "DiagnosticsStatusNotification", "Uploading", null)),
        new Step(step(), notify(DIAGNOSTICS, "DiagnosticsStatusNotification", ok ? "Uploaded" : "UploadFailed", null)));
    begin(call, DIAGNOSTICS, steps);
    return object().put("fileName", file);
  }

  /**
   * Section 5.20: an empty answer; at retrieveDate (at once when past) Downloading, Downloaded,
   * Installing, then a reboot (transactions stop with reason Reboot) and Installed after the
   * boot, whose BootNotification carries the new version: the version number in the file name
   * (fw-2.1.0.bin: 2.1.0), else the old one with its last number plus one. A location it cannot
   * reach gives DownloadFailed.
   */
  Object updateFirmware(IncomingCall call) {
    JsonNode p = call.params();
    String location = requireText(p, "location");
    OffsetDateTime retrieve = requireTime(p, "retrieveDate");
    optInt(p, "retries", null);
    optInt(p, "retryInterval", null);
    List<Step> steps = new ArrayList<>();
    String action = "FirmwareStatusNotification";
    steps.add(new Step(until(retrieve), notify(FIRMWARE, action, "Downloading", null)));
    if (!reachable(location)) {
      steps.add(new Step(step(), notify(FIRMWARE, action, "DownloadFailed", null)));
    } else {
      steps.add(new Step(step(), notify(FIRMWARE, action, "Downloaded", null)));
      steps.add(new Step(step(), notify(FIRMWARE, action, "Installing", null)));
      steps.add(new Step(step(), install(location)));
    }
    synchronized (cp) {
      signedFirmware = false;
      firmwareRequestId = null;
    }
    begin(call, FIRMWARE, steps);
    return object();
  }

  // ---- security whitepaper

  /**
   * Whitepaper 4.2 (GetLog): Accepted with a file name (AcceptedCanceled when it cancels an upload
   * in progress); then LogStatusNotification Uploading and Uploaded (UploadFailure for a location
   * it cannot reach), each with the requestId.
   */
  Object getLog(IncomingCall call) {
    JsonNode p = call.params();
    JsonNode log = require(p, "log");
    String location = requireText(log, "remoteLocation");
    optTime(log, "oldestTimestamp");
    optTime(log, "latestTimestamp");
    String type = oneOf("logType", requireText(p, "logType"), "DiagnosticsLog", "SecurityLog");
    int requestId = requireInt(p, "requestId");
    String status;
    synchronized (cp) {
      status = states[LOG].equals("Idle") ? "Accepted" : "AcceptedCanceled";
      logRequestId = requestId;
    }
    boolean ok = reachable(location);
    List<Step> steps = List.of(
        new Step(Duration.ZERO, notify(LOG, "LogStatusNotification", "Uploading", requestId)),
        new Step(step(), notify(LOG, "LogStatusNotification", ok ? "Uploaded" : "UploadFailure", requestId)));
    begin(call, LOG, steps);
    return status(status).put("filename", fileName(type.equals("SecurityLog") ? "security-log" : "diagnostics-log", ".log"));
  }

  /**
   * Whitepaper 4.4 (SignedUpdateFirmware): InvalidCertificate (and a SecurityEventNotification
   * InvalidFirmwareSigningCertificate) when the signing certificate is not a parsable X.509 PEM;
   * otherwise Accepted (AcceptedCanceled when it cancels an update in progress), then
   * [DownloadScheduled,] Downloading, Downloaded, SignatureVerified, [InstallScheduled,]
   * Installing, InstallRebooting, the reboot, and Installed after the boot, each with the
   * requestId. An empty signature fails verification: InvalidSignature and a
   * SecurityEventNotification InvalidFirmwareSignature (nothing else can be verified in a model).
   */
  Object signedUpdateFirmware(IncomingCall call) {
    JsonNode p = call.params();
    int requestId = requireInt(p, "requestId");
    optInt(p, "retries", null);
    optInt(p, "retryInterval", null);
    JsonNode fw = require(p, "firmware");
    String location = requireText(fw, "location");
    OffsetDateTime retrieve = requireTime(fw, "retrieveDateTime");
    OffsetDateTime install = optTime(fw, "installDateTime");
    String certificate = requireText(fw, "signingCertificate");
    String signature = requireText(fw, "signature");
    if (CertificateStore.parse(certificate) == null) {
      cp.afterReply(call, "SecurityEventNotification", () -> securityEvent("InvalidFirmwareSigningCertificate"));
      return status("InvalidCertificate");
    }
    String status;
    synchronized (cp) {
      status = states[FIRMWARE].equals("Idle") ? "Accepted" : "AcceptedCanceled";
      signedFirmware = true;
      firmwareRequestId = requestId;
    }
    String action = "SignedFirmwareStatusNotification";
    List<Step> steps = new ArrayList<>();
    Duration wait = until(retrieve);
    if (!wait.isZero()) {
      steps.add(new Step(Duration.ZERO, notify(FIRMWARE, action, "DownloadScheduled", requestId)));
    }
    steps.add(new Step(wait, notify(FIRMWARE, action, "Downloading", requestId)));
    if (!reachable(location)) {
      steps.add(new Step(step(), notify(FIRMWARE, action, "DownloadFailed", requestId)));
    } else if (signature.isBlank()) {
      steps.add(new Step(step(), notify(FIRMWARE, action, "Downloaded", requestId)));
      steps.add(new Step(step(), notify(FIRMWARE, action, "InvalidSignature", requestId)));
      steps.add(new Step(Duration.ZERO, () -> securityEvent("InvalidFirmwareSignature")));
    } else {
      steps.add(new Step(step(), notify(FIRMWARE, action, "Downloaded", requestId)));
      steps.add(new Step(step(), notify(FIRMWARE, action, "SignatureVerified", requestId)));
      Duration installWait = install == null ? Duration.ZERO : until(install);
      if (!installWait.isZero()) {
        steps.add(new Step(step(), notify(FIRMWARE, action, "InstallScheduled", requestId)));
      }
      steps.add(new Step(step().plus(installWait), notify(FIRMWARE, action, "Installing", requestId)));
      steps.add(new Step(step(), notify(FIRMWARE, action, "InstallRebooting", requestId)));
      steps.add(new Step(step(), install(location)));
    }
    begin(call, FIRMWARE, steps);
    return status(status);
  }

  // ---- reports

  /** TriggerMessage DiagnosticsStatusNotification: Uploading while one runs, Idle otherwise (section 4.4). */
  CompletableFuture<?> diagnosticsStatus() {
    String state;
    synchronized (cp) {
      state = states[DIAGNOSTICS];
    }
    return cp.send("DiagnosticsStatusNotification", status(state));
  }

  /** TriggerMessage FirmwareStatusNotification: the step in progress, Idle otherwise (section 4.5). */
  CompletableFuture<?> firmwareStatus() {
    String state;
    synchronized (cp) {
      state = signedFirmware && !states[FIRMWARE].equals("Idle") ? "Idle" : states[FIRMWARE];
    }
    // A signed update's states are not all 1.6 FirmwareStatus values: report those through the
    // extended trigger; here only a plain update's.
    return cp.send("FirmwareStatusNotification", status(state));
  }

  /** ExtendedTriggerMessage FirmwareStatusNotification: SignedFirmwareStatusNotification, requestId while busy. */
  CompletableFuture<?> signedFirmwareStatus() {
    ObjectNode p;
    synchronized (cp) {
      p = status(states[FIRMWARE]);
      if (!states[FIRMWARE].equals("Idle") && firmwareRequestId != null) {
        p.put("requestId", firmwareRequestId);
      }
    }
    return cp.send("SignedFirmwareStatusNotification", p);
  }

  /** ExtendedTriggerMessage LogStatusNotification: Uploading with the requestId while busy, Idle otherwise. */
  CompletableFuture<?> logStatus() {
    ObjectNode p;
    synchronized (cp) {
      p = status(states[LOG]);
      if (!states[LOG].equals("Idle") && logRequestId != null) {
        p.put("requestId", logRequestId);
      }
    }
    return cp.send("LogStatusNotification", p);
  }

  /** After a boot: Installed (and the whitepaper's FirmwareUpdated security event) when an update was installing. */
  CompletableFuture<Void> afterBoot() {
    boolean signed;
    Integer requestId;
    synchronized (cp) {
      if (!installing) {
        return DONE;
      }
      installing = false;
      states[FIRMWARE] = "Idle";
      signed = signedFirmware;
      requestId = firmwareRequestId;
    }
    if (!signed) {
      return cp.send("FirmwareStatusNotification", status("Installed")).thenApply(a -> null);
    }
    return cp.send("SignedFirmwareStatusNotification", status("Installed").put("requestId", requestId))
        .thenCompose(a -> securityEvent("FirmwareUpdated")).thenApply(a -> null);
  }

  /** Ends every sequence (the station stops). */
  void cancel() {
    synchronized (cp) {
      for (int i = 0; i < runs.length; i++) {
        runs[i]++;
        if (timers[i] != null) {
          timers[i].cancel(false);
        }
        states[i] = "Idle";
      }
    }
  }

  // ---- the sequences

  private void begin(IncomingCall call, int kind, List<Step> steps) {
    int run;
    synchronized (cp) {
      run = ++runs[kind];
      if (timers[kind] != null) {
        timers[kind].cancel(false);
      }
    }
    cp.afterReply(call, call.action(), () -> {
      schedule(call.action(), kind, run, steps, 0);
      return DONE;
    });
  }

  private void schedule(String what, int kind, int run, List<Step> steps, int i) {
    synchronized (cp) {
      if (i >= steps.size() || runs[kind] != run || cp.stopped()) {
        return;
      }
      timers[kind] = StationTimer.after(steps.get(i).before(), () -> {
        synchronized (cp) {
          if (runs[kind] != run) {
            return;
          }
        }
        cp.enqueue(what, steps.get(i).action()).whenComplete((v, e) -> {
          if (e != null) {
            cp.failed(what, e);
          }
          schedule(what, kind, run, steps, i + 1);
        });
      });
    }
  }

  /** A step that records {@code state} and sends it (with the requestId, if any); final states leave the machine Idle. */
  private Supplier<CompletableFuture<?>> notify(int kind, String action, String state, Integer requestId) {
    return () -> {
      synchronized (cp) {
        boolean last = Set.of("Uploaded", "UploadFailed", "UploadFailure", "DownloadFailed", "InvalidSignature",
            "InstallationFailed").contains(state);
        states[kind] = last ? "Idle" : state;
      }
      ObjectNode payload = status(state);
      if (requestId != null) {
        payload.put("requestId", requestId);
      }
      return cp.send(action, payload);
    };
  }

  /** The reboot that installs the firmware downloaded from {@code location}; Installed follows the boot. */
  private Supplier<CompletableFuture<?>> install(String location) {
    return () -> {
      synchronized (cp) {
        installing = true;
        cp.firmwareVersion = nextVersion(location, cp.firmwareVersion); // what the BootNotification after the reboot reports
      }
      cp.reboot("Hard", "Reboot", "FirmwareUpdate").exceptionally(e -> {
        cp.failed("firmware reboot", e);
        return null;
      });
      return DONE; // queued after this step
    };
  }

  CompletableFuture<?> securityEvent(String type) {
    return cp.send("SecurityEventNotification", object().put("type", type)
        .put("timestamp", StationJson.time(AbstractStation.now())));
  }

  /** The firmware version after installing {@code location}: the version in its file name, else {@code old} plus one. */
  static String nextVersion(String location, String old) {
    String file = location.substring(location.lastIndexOf('/') + 1);
    Matcher m = VERSION.matcher(file);
    String found = null;
    while (m.find()) {
      found = m.group(1);
    }
    if (found == null) {
      Matcher last = Pattern.compile("(\\d+)(\\D*)$").matcher(old);
      found = last.find()
          ? old.substring(0, last.start()) + (Long.parseLong(last.group(1)) + 1) + last.group(2)
          : old + ".1";
    }
    return found.length() > 50 ? found.substring(0, 50) : found;
  }

  private static boolean reachable(String location) {
    try {
      String scheme = URI.create(location.trim()).getScheme();
      return scheme != null && SCHEMES.contains(scheme.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private String fileName(String kind, String extension) {
    String name = kind + "-" + cp.client.identity() + "-" + STAMP.format(AbstractStation.now()) + extension;
    return name.length() > 255 ? name.substring(name.length() - 255) : name;
  }

  private Duration step() {
    return cp.profile.stepDelay();
  }

  private static Duration until(OffsetDateTime at) {
    Duration d = Duration.between(AbstractStation.now(), at);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
