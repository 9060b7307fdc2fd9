#!/bin/sh
# Trusts the optional extra CA certificate (config `sandbox.ca_cert`) for apt, pip,
# npm and Python/Node TLS, for users behind a TLS-intercepting proxy.
# Writes ca-env.sh, which build steps and in-sandbox installs source.
set -eu
dir=/usr/local/share/codingit
extra=$dir/extra-ca.crt
bundle=$dir/ca-bundle.crt
system=/etc/ssl/certs/ca-certificates.crt
: >"$dir/ca-env.sh"
if [ -s "$extra" ]; then
  if [ -f "$system" ]; then
    cat "$system" "$extra" >"$bundle"
    cp "$bundle" "$system"
  else
    mkdir -p /etc/ssl/certs
    cp "$extra" "$bundle"
    cp "$extra" "$system"
  fi
  cat >"$dir/ca-env.sh" <<ENV
export SSL_CERT_FILE=$bundle PIP_CERT=$bundle REQUESTS_CA_BUNDLE=$bundle
export NODE_EXTRA_CA_CERTS=$extra NPM_CONFIG_CAFILE=$bundle
ENV
fi
chmod 0644 "$dir/ca-env.sh"
