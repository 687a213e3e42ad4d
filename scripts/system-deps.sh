#!/usr/bin/env bash
# Install the Debian packages a target needs, only those missing. Usage: system-deps.sh demo|test
set -euo pipefail
# pango and fonts (French and Cyrillic) for WeasyPrint's dossiers, in the demo as in tests.
want=(python3-venv gettext fonts-dejavu-core fonts-dejavu-extra libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-}" = test ]; then
  # PostgreSQL for the second database run, Chromium for the browser tests, age to show that a
  # backup opens with the standard tool.
  want+=(postgresql chromium age)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
