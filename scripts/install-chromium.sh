#!/usr/bin/env bash
# Install Debian's chromium for the browser test, if the machine has none (Playwright's own
# browser download is not possible here; the test drives this one).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
fi
