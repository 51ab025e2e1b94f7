#!/usr/bin/env bash
# Update Torg's message catalogues (nb, nn, en) in torg/locale/ and compile them.
#
# Runs makemessages from the torg/ package directory, so that the catalogues land in
# torg/locale/ (LOCALE_PATHS), drops obsolete (#~) entries, and compiles the .po files
# to .mo. The .mo files are committed, so installing Torg needs no gettext.
#
# Usage: scripts/messages.sh        (needs GNU gettext: msgfmt, xgettext, msgattrib)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -x "$ROOT/.venv/bin/django-admin" ]; then
  DJANGO_ADMIN="$ROOT/.venv/bin/django-admin"
else
  DJANGO_ADMIN="django-admin"
fi

cd "$ROOT/torg"
mkdir -p locale
# No settings module: makemessages and compilemessages work on the files below torg/ alone.
unset DJANGO_SETTINGS_MODULE

"$DJANGO_ADMIN" makemessages -l nb -l nn -l en \
  --ignore=.venv --ignore=var --ignore=build \
  --no-obsolete --add-location=file

# makemessages --no-obsolete drops #~ entries; msgattrib makes sure none are left behind.
for po in locale/*/LC_MESSAGES/django.po; do
  msgattrib --no-obsolete --add-location=file -o "$po" "$po"
done

"$DJANGO_ADMIN" compilemessages --ignore=.venv --ignore=var --ignore=build
