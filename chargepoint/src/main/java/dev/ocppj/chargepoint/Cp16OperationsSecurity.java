package dev.ocppj.chargepoint;

import static dev.ocppj.chargepoint.StationJson.object;
import static dev.ocppj.chargepoint.StationJson.oneOf;
import static dev.ocppj.chargepoint.StationJson.optInt;
import static dev.ocppj.chargepoint.StationJson.require;
import static dev.ocppj.chargepoint.StationJson.requireText;
import static dev.ocppj.chargepoint.StationJson.status;

import dev.ocppj.client.rpc.IncomingCall;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OCPP 1.6 security whitepaper's operations (edition 3): certificates, the extended
 * trigger, logs and signed firmware (the last two in {@link Cp16Firmware}). Only with
 * {@link Feature#SECURITY} in the profile.
 */
final class Cp16OperationsSecurity {
  private static final String[] ROOT_TYPES = {"CentralSystemRootCertificate", "ManufacturerRootCertificate"};
  private final ChargePoint cp;

  Cp16OperationsSecurity(ChargePoint cp) {
    this.cp = cp;
  }

  void register() {
    cp.answer("ExtendedTriggerMessage", Feature.SECURITY, this::extendedTrigger);
    cp.answer("GetLog", Feature.SECURITY, cp.firmware::getLog);
    cp.answer("SignedUpdateFirmware", Feature.SECURITY, cp.firmware::signedUpdateFirmware);
    cp.answer("InstallCertificate", Feature.SECURITY, this::installCertificate);
    cp.answer("GetInstalledCertificateIds", Feature.SECURITY, this::getInstalledCertificateIds);
    cp.answer("DeleteCertificate", Feature.SECURITY, this::deleteCertificate);
    cp.answer("CertificateSigned", Feature.SECURITY, this::certificateSigned);
  }

  /**
   * Whitepaper 4.3 (ExtendedTriggerMessage): Rejected for a connector the station does not
   * have; Accepted for every message it names, sent after the answer (FirmwareStatusNotification
   * as SignedFirmwareStatusNotification, SignChargePointCertificate as SignCertificate with a
   * fresh PKCS#10 CSR).
   */
  private Object extendedTrigger(IncomingCall call) {
    String message = requireText(call.params(), "requestedMessage");
    Integer id = optInt(call.params(), "connectorId", null);
    if (id != null && cp.connector(id) == null) {
      return status("Rejected");
    }
    Supplier<CompletableFuture<?>> step = switch (message) {
      case "BootNotification", "Heartbeat", "MeterValues", "StatusNotification" ->
          new Cp16OperationsFeatures(cp).triggered(message, id);
      case "LogStatusNotification" -> cp.firmware::logStatus;
      case "FirmwareStatusNotification" -> cp.firmware::signedFirmwareStatus;
      case "SignChargePointCertificate" -> this::signCertificate;
      default -> null;
    };
    if (step == null) {
      return status("NotImplemented");
    }
    cp.afterReply(call, "ExtendedTriggerMessage " + message, step);
    return status("Accepted");
  }

  /** Whitepaper 2.3: SignCertificate with a CSR for CN = serial number (else identity), O = CpoName (else vendor). */
  private CompletableFuture<?> signCertificate() {
    String cn;
    String org;
    synchronized (cp) {
      cn = cp.profile.serialNumber() != null ? cp.profile.serialNumber() : cp.client.identity();
      String cpo = cp.config.value("CpoName");
      org = cpo == null || cpo.isEmpty() ? cp.profile.vendor() : cpo;
    }
    return cp.send("SignCertificate", object().put("csr", Csr.create(cn, org)));
  }

  /** Whitepaper 4.1 (InstallCertificate): the store's answer, Accepted, Rejected (unreadable, expired) or Failed (full). */
  private Object installCertificate(IncomingCall call) {
    String type = oneOf("certificateType", requireText(call.params(), "certificateType"), ROOT_TYPES);
    String pem = requireText(call.params(), "certificate");
    synchronized (cp) {
      return status(cp.certificates.install(type, pem));
    }
  }

  /** Whitepaper 4.1 (GetInstalledCertificateIds): Accepted with the hash data of that type, NotFound when none. */
  private Object getInstalledCertificateIds(IncomingCall call) {
    String type = oneOf("certificateType", requireText(call.params(), "certificateType"), ROOT_TYPES);
    List<CertificateStore.Installed> found;
    synchronized (cp) {
      found = cp.certificates.installed(List.of(type));
    }
    if (found.isEmpty()) {
      return status("NotFound");
    }
    ObjectNode answer = status("Accepted");
    ArrayNode data = answer.putArray("certificateHashData");
    for (CertificateStore.Installed c : found) {
      data.addObject().put("hashAlgorithm", c.hashAlgorithm()).put("issuerNameHash", c.issuerNameHash())
          .put("issuerKeyHash", c.issuerKeyHash()).put("serialNumber", c.serialNumber());
    }
    return answer;
  }

  /** Whitepaper 4.1 (DeleteCertificate): Accepted or NotFound (Failed is for a certificate in use, which the model cannot tell). */
  private Object deleteCertificate(IncomingCall call) {
    JsonNode h = require(call.params(), "certificateHashData");
    String algorithm = requireText(h, "hashAlgorithm");
    String nameHash = requireText(h, "issuerNameHash");
    String keyHash = requireText(h, "issuerKeyHash");
    String serial = requireText(h, "serialNumber");
    synchronized (cp) {
      return status(cp.certificates.delete(algorithm, nameHash, keyHash, serial));
    }
  }

  /**
   * Whitepaper 2.3 (CertificateSigned): Accepted when the chain's first certificate parses and
   * is valid; Rejected otherwise, followed by a SecurityEventNotification InvalidChargePointCertificate.
   */
  private Object certificateSigned(IncomingCall call) {
    String chain = requireText(call.params(), "certificateChain");
    String status;
    synchronized (cp) {
      status = cp.certificates.signed("ChargePointCertificate", chain);
    }
    if (!status.equals("Accepted")) {
      cp.afterReply(call, "SecurityEventNotification", () -> cp.firmware.securityEvent("InvalidChargePointCertificate"));
    }
    return status(status);
  }
}
