#!/usr/bin/env bash
# Vendor Torg's front-end assets from the npm registry into torg/static/vendor/.
#
# Fetches pinned package versions with `npm pack` into a temporary directory
# (no node_modules/ and no package.json in the repository), copies the built
# files plus their licences, and writes torg/static/vendor/README.md and the
# third-party notices for the Designsystemet web bundle.
#
# Usage: scripts/vendor-assets.sh        (needs node + npm, network access to the registry)
#
# To upgrade: change the versions below, run the script, review `git diff`.
set -euo pipefail

# --- Pinned versions --------------------------------------------------------
DS_CSS_PKG="@digdir/designsystemet-css"
DS_CSS_VERSION="1.22.0"
DS_WEB_PKG="@digdir/designsystemet-web"
DS_WEB_VERSION="1.22.0"
HTMX_PKG="htmx.org"
HTMX_VERSION="2.0.11"   # newest 2.0.x (`npm view htmx.org@2 version`); npm `latest` is 4.x - do NOT use it

# Third-party code bundled into designsystemet-web's dist/umd/index.js, at the
# exact versions recorded in its source map (node_modules/.pnpm/<name>@<version>).
# The script checks this list against the source map and fails if they differ.
# Licence texts are taken from these packages' own npm tarballs; if a version is
# not on the registry, the newest published version is used for the text.
DS_WEB_BUNDLED=(
  "@floating-ui/core@1.8.0"
  "@floating-ui/dom@1.8.0"
  "@floating-ui/utils@0.2.12"
  "@oddbird/popover-polyfill@0.7.2"
  "@u-elements/u-combobox@2.1.4"
  "@u-elements/u-datalist@2.0.3"
  "@u-elements/u-details@1.0.0"
  "@u-elements/u-tabs@1.0.4"
  "invokers-polyfill@1.0.4"
)

# The @u-elements/* tarballs ship no LICENSE file (package.json says "MIT").
# This is the LICENSE file of their source repository,
# https://github.com/u-elements/u-elements/blob/413f9ed5dfee768b8e08a3db64a5cdb03c04ba96/LICENSE
U_ELEMENTS_LICENSE='MIT License

Copyright (c) 2023 u-elements

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.'
U_ELEMENTS_LICENSE_SOURCE='https://github.com/u-elements/u-elements/blob/413f9ed5dfee768b8e08a3db64a5cdb03c04ba96/LICENSE (the npm tarball has no licence file)'

# --- Setup ------------------------------------------------------------------
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/torg/static/vendor"

command -v npm >/dev/null || { echo "error: npm not found" >&2; exit 1; }
command -v node >/dev/null || { echo "error: node not found" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/torg-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/stage"
mkdir -p "$STAGE"

# Keep npm quiet and side-effect free.
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# fetch SPEC DIR: `npm pack SPEC` into DIR and unpack it; the package ends up in DIR/package.
fetch() {
  local spec="$1" dir="$2" tgz
  mkdir -p "$dir"
  tgz="$(cd "$dir" && npm pack --silent --loglevel=error "$spec" 2>/dev/null | tail -n 1)" || return 1
  [[ -n "$tgz" && -f "$dir/$tgz" ]] || return 1
  tar -xzf "$dir/$tgz" -C "$dir"
  [[ -f "$dir/package/package.json" ]]
}

pkg_field() { # pkg_field DIR FIELD -> value of package.json field (string)
  node -e 'const p=require(process.argv[1]+"/package/package.json"); const v=p[process.argv[2]]; process.stdout.write(typeof v==="string"?v:(v&&v.url)||"")' "$1" "$2"
}

licence_file() { # licence_file DIR -> path of the package's licence file, if any
  find "$1/package" -maxdepth 1 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' \) | sort | head -n 1
}

copy() { # copy SRC DEST (fails loudly when SRC is missing)
  [[ -f "$1" ]] || die "expected file missing from package: ${1#"$WORK"/}"
  mkdir -p "$(dirname "$2")"
  cp "$1" "$2"
}

# Strip anything in a CSS file that would make the browser fetch from a third
# party at run time (@import of remote URLs, url() pointing at http(s):// or //)
# and sourceMappingURL comments (we don't ship CSS maps).
STRIPPED_NOTES=()
sanitize_css() {
  local f="$1" name="${1#"$STAGE"/}" before after
  before="$(wc -c <"$f")"
  # @import "https://..." / @import url(https://...) / protocol-relative //...
  if grep -Eq '@import[[:space:]]+(url\()?[[:space:]]*["'"'"']?(https?:)?//' "$f"; then
    # Quoted URLs may contain ';' (e.g. Google Fonts "...wght@400;500&display=swap"), so
    # match the quoted/parenthesised URL as a unit, then any media query up to ';'.
    sed -E -i \
      -e 's#@import[[:space:]]+url\([[:space:]]*"(https?:)?//[^"]*"[[:space:]]*\)[^;]*;##g' \
      -e "s#@import[[:space:]]+url\\([[:space:]]*'(https?:)?//[^']*'[[:space:]]*\\)[^;]*;##g" \
      -e 's#@import[[:space:]]+url\([[:space:]]*(https?:)?//[^)"'"'"']*\)[^;]*;##g' \
      -e 's#@import[[:space:]]+"(https?:)?//[^"]*"[^;]*;##g' \
      -e "s#@import[[:space:]]+'(https?:)?//[^']*'[^;]*;##g" \
      "$f"
    STRIPPED_NOTES+=("$name: removed remote @import(s)")
  fi
  # Remaining remote url(...) (e.g. in @font-face src): replace with an empty data URL.
  if grep -Eq 'url\([[:space:]]*["'"'"']?(https?:)?//' "$f"; then
    sed -E -i 's#url\([[:space:]]*["'"'"']?(https?:)?//[^)]*\)#url(data:,)#g' "$f"
    STRIPPED_NOTES+=("$name: replaced remote url(...) with url(data:,)")
  fi
  if grep -q 'sourceMappingURL' "$f"; then
    sed -E -i 's#/\*[#@][[:space:]]*sourceMappingURL=[^*]*\*/##g' "$f"
    STRIPPED_NOTES+=("$name: removed sourceMappingURL comment (map not vendored)")
  fi
  after="$(wc -c <"$f")"
  [[ "$before" == "$after" ]] || log "sanitised $name ($before -> $after bytes)"
}

# --- Designsystemet CSS -----------------------------------------------------
log "fetching $DS_CSS_PKG@$DS_CSS_VERSION"
fetch "$DS_CSS_PKG@$DS_CSS_VERSION" "$WORK/ds-css" || die "npm pack $DS_CSS_PKG@$DS_CSS_VERSION failed"
P="$WORK/ds-css/package"
copy "$P/dist/src/index.css"              "$STAGE/designsystemet-css/index.css"
copy "$P/dist/theme/designsystemet.css"   "$STAGE/designsystemet-css/theme.css"
copy "$P/LICENSE"                         "$STAGE/designsystemet-css/LICENSE"
DS_CSS_LICENSE="$(pkg_field "$WORK/ds-css" license)"
sanitize_css "$STAGE/designsystemet-css/index.css"
sanitize_css "$STAGE/designsystemet-css/theme.css"

# --- Designsystemet web (JS) ------------------------------------------------
log "fetching $DS_WEB_PKG@$DS_WEB_VERSION"
fetch "$DS_WEB_PKG@$DS_WEB_VERSION" "$WORK/ds-web" || die "npm pack $DS_WEB_PKG@$DS_WEB_VERSION failed"
P="$WORK/ds-web/package"
copy "$P/dist/umd/index.js"      "$STAGE/designsystemet-web/index.js"
copy "$P/dist/umd/index.js.map"  "$STAGE/designsystemet-web/index.js.map"
copy "$P/LICENSE"                "$STAGE/designsystemet-web/LICENSE"
DS_WEB_LICENSE="$(pkg_field "$WORK/ds-web" license)"
# The bundle must reference exactly the map we copied (whitenoise's manifest storage needs it).
MAPREF="$(grep -o 'sourceMappingURL=[^[:space:]]*' "$STAGE/designsystemet-web/index.js" | sed 's/^sourceMappingURL=//' || true)"
[[ "$MAPREF" == "index.js.map" ]] || die "designsystemet-web index.js refers to unexpected source map '${MAPREF}'"

# Check the bundled third-party packages against the source map.
ACTUAL_BUNDLED="$(node -e '
  const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const out = new Set();
  for (const s of m.sources) {
    const r = /node_modules\/\.pnpm\/([^/]+)\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s);
    if (!r) { if (s.includes("node_modules")) out.add("UNRECOGNISED:" + s); continue; }
    const ver = r[1].slice(r[1].lastIndexOf("@") + 1).split("_")[0];
    out.add(r[2] + "@" + ver);
  }
  console.log([...out].sort().join("\n"));
' "$STAGE/designsystemet-web/index.js.map")"
EXPECTED_BUNDLED="$(printf '%s\n' "${DS_WEB_BUNDLED[@]}" | sort)"
if [[ "$ACTUAL_BUNDLED" != "$EXPECTED_BUNDLED" ]]; then
  printf 'Bundled packages in %s@%s (from source map):\n%s\n\nDS_WEB_BUNDLED in this script:\n%s\n' \
    "$DS_WEB_PKG" "$DS_WEB_VERSION" "$ACTUAL_BUNDLED" "$EXPECTED_BUNDLED" >&2
  die "update DS_WEB_BUNDLED (and its licence handling) to match the bundle"
fi

# Third-party notices for the bundle.
NOTICES="$STAGE/designsystemet-web/THIRD-PARTY-NOTICES.md"
{
  echo "# Third-party notices for designsystemet-web/index.js"
  echo
  echo "\`index.js\` is the UMD build (\`dist/umd/index.js\`) of $DS_WEB_PKG@$DS_WEB_VERSION"
  echo "($DS_WEB_LICENSE, see \`LICENSE\` in this directory). Besides Designsystemet's own code"
  echo "it bundles the following packages (exact versions from \`index.js.map\`):"
  echo
  echo "| Package | Bundled version | Licence | Licence text taken from |"
  echo "|---|---|---|---|"
} >"$NOTICES"
SECTIONS="$WORK/notice-sections.md"
: >"$SECTIONS"
i=0
for spec in "${DS_WEB_BUNDLED[@]}"; do
  i=$((i + 1))
  name="${spec%@*}"; ver="${spec##*@}"
  dir="$WORK/lic-$i"
  log "fetching licence of $spec"
  if fetch "$spec" "$dir"; then
    got="$ver"
  else
    log "  $spec is not on the registry; using the newest $name for the licence text"
    rm -rf "$dir"
    fetch "$name" "$dir" || die "npm pack $name failed"
    got="$(pkg_field "$dir" version)"
  fi
  lic="$(pkg_field "$dir" license)"
  repo="$(pkg_field "$dir" repository | sed -E 's#^git\+##; s#\.git$##; s#^git://#https://#')"
  lf="$(licence_file "$dir")"
  if [[ -n "$lf" ]]; then
    text="$(cat "$lf")"
    from="npm tarball $name@$got, \`$(basename "$lf")\`"
  elif [[ "$name" == @u-elements/* ]]; then
    text="$U_ELEMENTS_LICENSE"
    from="$U_ELEMENTS_LICENSE_SOURCE"
  else
    die "$name@$got ships no licence file; add its licence text to this script"
  fi
  echo "| \`$name\` | $ver | $lic | $from |" >>"$NOTICES"
  {
    echo
    echo "## $name@$ver ($lic)"
    echo
    [[ -n "$repo" ]] && echo "Source: $repo" && echo
    echo "Licence text from: $from"
    echo
    echo '```text'
    printf '%s\n' "$text"
    echo '```'
  } >>"$SECTIONS"
done
cat "$SECTIONS" >>"$NOTICES"

# --- htmx -------------------------------------------------------------------
log "fetching $HTMX_PKG@$HTMX_VERSION"
fetch "$HTMX_PKG@$HTMX_VERSION" "$WORK/htmx" || die "npm pack $HTMX_PKG@$HTMX_VERSION failed"
P="$WORK/htmx/package"
copy "$P/dist/htmx.min.js" "$STAGE/htmx/htmx.min.js"
copy "$P/LICENSE"          "$STAGE/htmx/LICENSE"
HTMX_LICENSE="$(pkg_field "$WORK/htmx" license)"
if grep -q 'sourceMappingURL' "$STAGE/htmx/htmx.min.js"; then
  sed -E -i '/^\/\/[#@][[:space:]]*sourceMappingURL=/d' "$STAGE/htmx/htmx.min.js"
  STRIPPED_NOTES+=("htmx/htmx.min.js: removed sourceMappingURL comment (map not vendored)")
fi

# --- Verify -----------------------------------------------------------------
for f in "$STAGE"/designsystemet-css/*.css; do
  if grep -Eq '@import[[:space:]]+(url\()?[[:space:]]*["'"'"']?(https?:)?//' "$f" \
     || grep -Eq 'url\([[:space:]]*["'"'"']?(https?:)?//' "$f"; then
    die "remote @import/url() left in ${f#"$STAGE"/}"
  fi
  if grep -q '@import' "$f"; then
    die "${f#"$STAGE"/} still has an @import; vendor the imported file or strip it"
  fi
done
while IFS= read -r f; do
  while IFS= read -r ref; do
    [[ -f "$(dirname "$f")/$ref" ]] || die "${f#"$STAGE"/} points at missing source map '$ref'"
  done < <(grep -o 'sourceMappingURL=[^[:space:]*]*' "$f" | sed 's/^sourceMappingURL=//')
done < <(find "$STAGE" -type f \( -name '*.js' -o -name '*.css' \))

# --- README -----------------------------------------------------------------
{
  cat <<EOF
# Vendored front-end assets

These files are copied verbatim (except as noted) from the npm registry. Do not edit
them by hand: refresh with \`scripts/vendor-assets.sh\` (pinned versions live at the top
of that script). No node_modules or package.json is kept in the repository.

| Package | Version | Licence | Vendored file | Source path in the npm package |
|---|---|---|---|---|
| \`$DS_CSS_PKG\` | $DS_CSS_VERSION | $DS_CSS_LICENSE | \`designsystemet-css/index.css\` | \`dist/src/index.css\` |
| \`$DS_CSS_PKG\` | $DS_CSS_VERSION | $DS_CSS_LICENSE | \`designsystemet-css/theme.css\` | \`dist/theme/designsystemet.css\` |
| \`$DS_CSS_PKG\` | $DS_CSS_VERSION | $DS_CSS_LICENSE | \`designsystemet-css/LICENSE\` | \`LICENSE\` |
| \`$DS_WEB_PKG\` | $DS_WEB_VERSION | $DS_WEB_LICENSE (bundle includes MIT and BSD-3-Clause code, see \`THIRD-PARTY-NOTICES.md\`) | \`designsystemet-web/index.js\` | \`dist/umd/index.js\` |
| \`$DS_WEB_PKG\` | $DS_WEB_VERSION | $DS_WEB_LICENSE | \`designsystemet-web/index.js.map\` | \`dist/umd/index.js.map\` |
| \`$DS_WEB_PKG\` | $DS_WEB_VERSION | $DS_WEB_LICENSE | \`designsystemet-web/LICENSE\` | \`LICENSE\` |
| (generated) | | | \`designsystemet-web/THIRD-PARTY-NOTICES.md\` | licences of the packages bundled into \`index.js\` |
| \`$HTMX_PKG\` | $HTMX_VERSION | $HTMX_LICENSE | \`htmx/htmx.min.js\` | \`dist/htmx.min.js\` |
| \`$HTMX_PKG\` | $HTMX_VERSION | $HTMX_LICENSE | \`htmx/LICENSE\` | \`LICENSE\` |

htmx is pinned to the 2.0.x line on purpose (npm's \`latest\` tag points at 4.x).

## No third-party requests at run time

The script strips from the vendored CSS any \`@import\` or \`url(...)\` that points at
another host (e.g. Google Fonts or a CDN), and any \`sourceMappingURL\` comment whose
map is not vendored, then fails if anything remote is left. The web bundle's source
map is vendored next to it, so its \`sourceMappingURL\` resolves (required by
whitenoise's \`CompressedManifestStaticFilesStorage\`).

EOF
  if ((${#STRIPPED_NOTES[@]})); then
    echo "Changes made to the upstream files in this version:"
    echo
    printf -- '- %s\n' "${STRIPPED_NOTES[@]}"
  else
    echo "In this version nothing needed stripping: the upstream CSS has no remote \`@import\` or"
    echo "\`url(...)\` (only inline \`data:\` SVG icons) and no \`sourceMappingURL\` comments, and"
    echo "htmx.min.js has no \`sourceMappingURL\`. The vendored files are byte-for-byte upstream."
  fi
  cat <<'EOF'

Fonts: the theme only defines `--ds-font-family: Inter`; neither file loads Inter or
applies that variable to the page (upstream suggests loading Inter from Google Fonts,
which we do not do). Set the page font in our own CSS, e.g.
`body { font-family: var(--ds-font-family), system-ui, sans-serif; }`, and self-host
Inter under `torg/static/` if we want it.
EOF
} >"$STAGE/README.md"

# --- Install ----------------------------------------------------------------
mkdir -p "$VENDOR"
for d in designsystemet-css designsystemet-web htmx; do
  rm -rf "${VENDOR:?}/$d"
  cp -R "$STAGE/$d" "$VENDOR/$d"
done
cp "$STAGE/README.md" "$VENDOR/README.md"

log "done:"
(cd "$ROOT" && find "${VENDOR#"$ROOT"/}" -type f -print0 | sort -z | xargs -0 ls -l | awk '{printf "    %9d  %s\n", $5, $9}') >&2
if ((${#STRIPPED_NOTES[@]})); then
  printf '    stripped: %s\n' "${STRIPPED_NOTES[@]}" >&2
else
  log "nothing stripped (no remote @import/url(), no dangling sourceMappingURL)"
fi
