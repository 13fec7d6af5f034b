#!/usr/bin/env bash
# Embeds deploy/gatekeeper/template.yaml (base64) in the Azure Policy definition, so the definition
# installs exactly the template of this repository without hosting it anywhere. Run after changing the
# template; the policy library test fails while the two differ.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
content=$(base64 -w0 "$here/../gatekeeper/template.yaml")
jq --indent 2 --arg content "$content" '.policyRule.then.details.templateInfo.content = $content' \
  "$here/signet-custom-policy.json" > "$here/signet-custom-policy.json.tmp"
mv "$here/signet-custom-policy.json.tmp" "$here/signet-custom-policy.json"
