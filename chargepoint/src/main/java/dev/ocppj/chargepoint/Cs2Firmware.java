package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.Cs2Json.object;
import static dev.ocppj.chargepoint.Cs2Json.status;

import dev.ocppj.client.rpc.IncomingCall;
import dev.ocppj.client.rpc.RpcException;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Firmware, logs and certificates (blocks A, L, M, N01): UpdateFirmware and GetLog as state
 * machines whose statuses go out one profile step apart (each step queued on its own, so
 * events and other work interleave as on a real station), the certificate operations, and
 * SignCertificate on request. PublishFirmware / UnpublishFirmware belong to a Local
 * Controller: this station answers them NotSupported.
 */
final class Cs2Firmware {
  private static final CompletableFuture<Void> DONE = AbstractStation.DONE;
  private final ChargingStation s;
  // Guarded by s.
  private String version;
  private String firmwareStatus = "Idle";
  private Integer firmwareRequest;
  private int firmwareRun;
  private String newVersion;
  private boolean installedAfterBoot;
  private String logStatus = "Idle";
  private Integer logRequest;
  private int logRun;
  // One pending step per kind: a newer request replaces the older one's timer, so a CSMS that
  // sends UpdateFirmware after UpdateFirmware with far retrieve dates leaves one timer, not many.
  private java.util.concurrent.ScheduledFuture<?> firmwareTimer; // guarded by s
  private java.util.concurrent.ScheduledFuture<?> logTimer; // guarded by s

  Cs2Firmware(ChargingStation s) {
    this.s = s;
    this.version = s.profile().firmwareVersion();
  }

  void register() {
    s.answer("UpdateFirmware", Feature.FIRMWARE_MANAGEMENT, this::updateFirmware);
    s.answer("GetLog", Feature.DIAGNOSTICS, this::getLog);
    s.answer("PublishFirmware", call -> {
      throw new RpcException.NotSupported("PublishFirmware is for a Local Controller");
    });
    s.answer("UnpublishFirmware", call -> {
      throw new RpcException.NotSupported("UnpublishFirmware is for a Local Controller");
    });
    s.answer("InstallCertificate", Feature.SECURITY, this::install);
    s.answer("DeleteCertificate", Feature.SECURITY, this::delete);
    s.answer("GetInstalledCertificateIds", Feature.SECURITY, this::installed);
    s.answer("CertificateSigned", Feature.SECURITY, this::signed);
  }

  String version() {
    synchronized (s) {
      return version;
    }
  }

  // ---- firmware (L01)

  private Object updateFirmware(IncomingCall call) {
    JsonNode p = call.params();
    int requestId = Cs2Json.requireInt(p, "requestId");
    JsonNode fw = Cs2Json.requireObject(p, "firmware");
    String location = Cs2Json.requireText(fw, "location");
    OffsetDateTime retrieve = time(Cs2Json.requireText(fw, "retrieveDateTime"));
    OffsetDateTime install = fw.has("installDateTime") ? time(fw.path("installDateTime").asString()) : null;
    boolean signed = fw.has("signature");
    // L01.FR.?: a signing certificate that does not parse is InvalidCertificate.
    if (fw.has("signingCertificate") && CertificateStore.parse(fw.path("signingCertificate").asString()) == null) {
      return status("InvalidCertificate");
    }
    int run;
    boolean canceled;
    synchronized (s) {
      canceled = firmwareRequest != null && !List.of("Idle", "Installed", "DownloadFailed", "InstallationFailed",
          "InstallVerificationFailed", "InvalidSignature").contains(firmwareStatus);
      run = ++firmwareRun;
      firmwareRequest = requestId;
      newVersion = versionFrom(location);
    }
    List<String> steps = new ArrayList<>();
    boolean ok = supportedScheme(location);
    if (retrieve.isAfter(AbstractStation.now())) {
      steps.add("DownloadScheduled");
    }
    steps.add("Downloading");
    if (!ok) {
      steps.add("DownloadFailed");
    } else {
      steps.add("Downloaded");
      if (signed) {
        steps.add("SignatureVerified");
      }
      if (install != null && install.isAfter(AbstractStation.now())) {
        steps.add("InstallScheduled");
      }
      steps.add("Installing");
      steps.add("InstallRebooting");
    }
    s.afterReply(call, "UpdateFirmware " + requestId, () -> {
      step(run, steps, 0, retrieve, install);
      return DONE;
    });
    return status(canceled ? "AcceptedCanceled" : "Accepted");
  }

  /** Runs status {@code i} one step delay (or until its time) from now, as its own work step. */
  private void step(int run, List<String> steps, int i, OffsetDateTime retrieve, OffsetDateTime install) {
    if (i >= steps.size()) {
      return;
    }
    String st = steps.get(i);
    Duration wait = s.profile().stepDelay();
    if (i > 0 && st.equals("InstallRebooting") && wait.compareTo(Duration.ofSeconds(1)) < 0) {
      wait = Duration.ofSeconds(1); // it may wait for transactions: no spinning with stepDelay 0
    }
    if (i > 0 && steps.get(i - 1).equals("DownloadScheduled")) {
      wait = later(wait, retrieve);
    } else if (i > 0 && steps.get(i - 1).equals("InstallScheduled")) {
      wait = later(wait, install);
    }
    var timer = StationTimer.after(i == 0 ? Duration.ZERO : wait, () -> s.enqueue("firmware " + st, () -> {
      synchronized (s) {
        if (run != firmwareRun) {
          return DONE; // canceled by a newer UpdateFirmware
        }
        // L01.FR.?: install waits for the transactions to end.
        if (st.equals("InstallRebooting") && s.anyTransaction()) {
          step(run, steps, i, retrieve, install);
          return DONE;
        }
        firmwareStatus = st;
      }
      CompletableFuture<Void> sent = sendFirmwareStatus();
      if (st.equals("InstallRebooting")) {
        return sent.thenRun(() -> {
          synchronized (s) {
            installedAfterBoot = true;
            version = newVersion;
          }
          s.reboot("Immediate", "Reboot", "FirmwareUpdate").exceptionally(x -> null);
        });
      }
      return sent.thenRun(() -> step(run, steps, i + 1, retrieve, install));
    }).exceptionally(x -> null));
    synchronized (s) {
      if (run != firmwareRun) { // a step of a run a newer request replaced: not its timer to keep
        timer.cancel(false);
        return;
      }
      if (firmwareTimer != null && firmwareTimer != timer) {
        firmwareTimer.cancel(false);
      }
      firmwareTimer = timer;
    }
  }

  private static Duration later(Duration min, OffsetDateTime at) {
    Duration until = Duration.between(AbstractStation.now(), at);
    return until.compareTo(min) > 0 ? until : min;
  }

  /** After a boot: Installed, when the boot was the one a firmware update asked for. */
  CompletableFuture<Void> afterBoot() {
    synchronized (s) {
      if (!installedAfterBoot) {
        return DONE;
      }
      installedAfterBoot = false;
      firmwareStatus = "Installed";
    }
    return sendFirmwareStatus();
  }

  CompletableFuture<Void> sendFirmwareStatus() {
    ObjectNode msg;
    synchronized (s) {
      msg = object().put("status", firmwareStatus);
      // L01.FR.20: requestId except when Idle.
      if (firmwareRequest != null && !firmwareStatus.equals("Idle")) {
        msg.put("requestId", firmwareRequest);
      }
    }
    return s.send("FirmwareStatusNotification", msg).thenApply(a -> null);
  }

  // ---- logs (N01)

  private Object getLog(IncomingCall call) {
    JsonNode p = call.params();
    int requestId = Cs2Json.requireInt(p, "requestId");
    String type = Cs2Json.requireText(p, "logType");
    JsonNode log = Cs2Json.requireObject(p, "log");
    String location = Cs2Json.requireText(log, "remoteLocation");
    if (type.equals("SecurityLog") && !s.profile().supports(Feature.SECURITY)) {
      return status("Rejected", "NoSecurityLog", null);
    }
    int run;
    boolean canceled;
    synchronized (s) {
      canceled = logStatus.equals("Uploading");
      run = ++logRun;
      logRequest = requestId;
    }
    boolean ok = supportedScheme(location);
    List<String> steps = ok ? List.of("Uploading", "Uploaded") : List.of("UploadFailure");
    s.afterReply(call, "GetLog " + requestId, () -> {
      logStep(run, steps, 0);
      return DONE;
    });
    String name = s.client().identity() + "-" + type + "-" + requestId + ".log";
    return status(canceled ? "AcceptedCanceled" : "Accepted").put("filename", name.length() > 255 ? name.substring(0, 255) : name);
  }

  private void logStep(int run, List<String> steps, int i) {
    if (i >= steps.size()) {
      return;
    }
    var timer = StationTimer.after(i == 0 ? Duration.ZERO : s.profile().stepDelay(), () -> s.enqueue("log " + steps.get(i), () -> {
      synchronized (s) {
        if (run != logRun) {
          return DONE;
        }
        logStatus = steps.get(i);
      }
      return sendLogStatus().thenRun(() -> logStep(run, steps, i + 1));
    }).exceptionally(x -> null));
    synchronized (s) {
      if (run != logRun) {
        timer.cancel(false);
        return;
      }
      if (logTimer != null && logTimer != timer) {
        logTimer.cancel(false);
      }
      logTimer = timer;
    }
  }

  CompletableFuture<Void> sendLogStatus() {
    ObjectNode msg;
    synchronized (s) {
      String st = logStatus;
      msg = object().put("status", st);
      if (logRequest != null && !st.equals("Idle")) {
        msg.put("requestId", logRequest);
      }
      if (!st.equals("Uploading")) {
        logStatus = "Idle"; // a finished upload is reported once, then the station is idle
      }
    }
    return s.send("LogStatusNotification", msg).thenApply(a -> null);
  }

  private boolean supportedScheme(String location) {
    try {
      String scheme = URI.create(location).getScheme();
      String protocols;
      synchronized (s) {
        protocols = s.model().value("OCPPCommCtrlr", "FileTransferProtocols", null);
      }
      return scheme != null && protocols != null
          && List.of(protocols.toUpperCase(Locale.ROOT).split(",")).contains(scheme.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String versionFrom(String location) {
    String name = location.substring(location.lastIndexOf('/') + 1);
    name = name.isEmpty() ? "updated" : name;
    return name.length() > 50 ? name.substring(0, 50) : name;
  }

  private static OffsetDateTime time(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new RpcException.FormatViolation("not a date-time: " + text);
    }
  }

  // ---- certificates (A02-A04, M03-M05)

  private Object install(IncomingCall call) {
    String type = Cs2Json.requireText(call.params(), "certificateType");
    String pem = Cs2Json.requireText(call.params(), "certificate");
    synchronized (s) {
      return status(s.certificates().install(type, pem));
    }
  }

  private Object delete(IncomingCall call) {
    JsonNode h = Cs2Json.requireObject(call.params(), "certificateHashData");
    synchronized (s) {
      return status(s.certificates().delete(Cs2Json.requireText(h, "hashAlgorithm"),
          Cs2Json.requireText(h, "issuerNameHash"), Cs2Json.requireText(h, "issuerKeyHash"),
          Cs2Json.requireText(h, "serialNumber")));
    }
  }

  private Object installed(IncomingCall call) {
    List<String> types = new ArrayList<>();
    for (JsonNode t : call.params().path("certificateType")) {
      types.add(t.asString());
    }
    ArrayNode chain = Cs2Json.array();
    synchronized (s) {
      for (CertificateStore.Installed i : s.certificates().installed(List.of())) {
        // The station's own certificates are not reported; the V2G one is its chain.
        String type = i.type().equals("V2GCertificate") ? "V2GCertificateChain" : i.type();
        if (type.equals("ChargingStationCertificate") || type.equals("V2G20Certificate")
            || (!types.isEmpty() && !types.contains(type)) || (type.equals("OEMRootCertificate") && !s.v21())) {
          continue;
        }
        ObjectNode o = chain.addObject().put("certificateType", type);
        o.putObject("certificateHashData").put("hashAlgorithm", i.hashAlgorithm())
            .put("issuerNameHash", i.issuerNameHash()).put("issuerKeyHash", i.issuerKeyHash())
            .put("serialNumber", i.serialNumber());
      }
    }
    if (chain.isEmpty()) {
      return status("NotFound");
    }
    ObjectNode answer = status("Accepted");
    answer.set("certificateHashDataChain", chain);
    return answer;
  }

  private Object signed(IncomingCall call) {
    String chain = Cs2Json.requireText(call.params(), "certificateChain");
    String type = call.params().path("certificateType").asString("ChargingStationCertificate");
    synchronized (s) {
      return status(s.certificates().signed(type, chain));
    }
  }

  /** SignCertificate for a TriggerMessage Sign*Certificate (combined: both requests). */
  CompletableFuture<Void> signCertificate(String trigger) {
    List<String> types = switch (trigger) {
      case "SignV2GCertificate" -> List.of("V2GCertificate");
      case "SignV2G20Certificate" -> List.of("V2G20Certificate");
      case "SignCombinedCertificate" -> List.of("ChargingStationCertificate", "V2GCertificate");
      default -> List.of("ChargingStationCertificate");
    };
    String organization;
    synchronized (s) {
      organization = s.model().value("SecurityCtrlr", "OrganizationName", null);
    }
    List<ObjectNode> msgs = new ArrayList<>();
    for (String t : types) {
      msgs.add(object().put("csr", Csr.create(s.client().identity(), organization)).put("certificateType", t));
    }
    return s.sendAll("SignCertificate", msgs);
  }

  void cancelTimers() {
    synchronized (s) {
      for (var t : new java.util.concurrent.ScheduledFuture<?>[] {firmwareTimer, logTimer}) {
        if (t != null) {
          t.cancel(false);
        }
      }
      firmwareTimer = null;
      logTimer = null;
    }
  }
}
