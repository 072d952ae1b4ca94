#!/usr/bin/env bash
# The Debian packages `make demo` and `make test` need, installed when missing.
#
#   scripts/system-packages.sh demo|test        install what is missing (as root), or print the command and stop
#   DRY_RUN=1 scripts/system-packages.sh test   only say what would be installed
#
# Each line: a Debian package and how to tell it is there — "cmd:<command>" (the
# command may come from elsewhere, e.g. Node from NodeSource) or "pkg" (dpkg says
# it is installed). A module that needs a system package adds one line here.
set -euo pipefail

# ---- THE LIST ---------------------------------------------------------------------
# for both `make demo` and `make test`
PACKAGES=(
  "python3-venv          py:venv"              # `python3 -m venv` for .venv
  "nodejs                cmd:node"             # npm ci: Bootstrap, htmx, ECharts
  "npm                   cmd:npm"
  "libpango-1.0-0        pkg"                  # WeasyPrint draws the official PDFs with Pango…
  "libpangoft2-1.0-0     pkg"
  "libharfbuzz-subset0   pkg"                  # …and subsets fonts with HarfBuzz
  "fonts-dejavu-core     pkg"                  # a font with every Vietnamese glyph (the pages' fallback)
  "fonts-liberation2     pkg"                  # Liberation Serif: the official PDFs' one serif family
  "tesseract-ocr         cmd:tesseract"        # OCR of scanned decisions (the demo reads two scans)…
  "tesseract-ocr-vie     tess:vie"             # …with the Vietnamese model
  "postgresql-client     cmd:pg_dump"          # backups and CI on PostgreSQL (pg_dump, psql)
)
# only for `make test`
TEST_PACKAGES=(
  "chromium              cmd:chromium"         # the browser tests (Playwright drives Debian's chromium)
)
# -----------------------------------------------------------------------------------

target="${1:-test}"
case "$target" in
  demo) wanted=("${PACKAGES[@]}") ;;
  test) wanted=("${PACKAGES[@]}" "${TEST_PACKAGES[@]}") ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

# For the proof that a missing package is installed, without removing it from a shared machine:
# ASSUME_MISSING="tesseract-ocr tesseract-ocr-vie" DRY_RUN=1 scripts/system-packages.sh test
assume_missing=" ${ASSUME_MISSING:-} "

present() {
  local package="$1" how="$2"
  [[ "$assume_missing" == *" $package "* ]] && return 1
  case "$how" in
    cmd:*) command -v "${how#cmd:}" >/dev/null 2>&1 ;;
    py:*) "${PYTHON:-python3}" -c "import ${how#py:}, ensurepip" >/dev/null 2>&1 ;;
    tess:*) command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx "${how#tess:}" ;;
    pkg) dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ;;
  esac
}

missing=()
for line in "${wanted[@]}"; do
  read -r package how <<<"$line"
  present "$package" "$how" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "== system packages: all present (${#wanted[@]} checked)"
  exit 0
fi

command=(apt-get install -y -qq --no-install-recommends "${missing[@]}")
echo "== system packages missing for 'make $target': ${missing[*]}"
if [ -n "${DRY_RUN:-}" ]; then
  echo "   would run: apt-get update -qq && ${command[*]}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "   Run as root, then run 'make $target' again:" >&2
  echo "   sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${command[*]}'" >&2
  exit 1
fi
echo "   installing: apt-get update -qq && ${command[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
"${command[@]}"
