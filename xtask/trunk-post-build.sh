#!/bin/sh
# Trunk post_build hook: give every page of the app its own folder with an index.html, so a
# deep link such as https://host/folder/lookup?name=example.com works on any static host (which
# serves folder/lookup/index.html) without rewrite rules. The copies are index.html one level
# down, with relative asset URLs ("./x") pointing one level up ("../x"). The page list must match
# `Page::ALL` in src/route.rs (checked by the end-to-end tests, which open every page this way).
set -eu
: "${TRUNK_STAGING_DIR:?run by trunk}"
for page in check spf dkim dmarc build lookup catalog; do
  mkdir -p "$TRUNK_STAGING_DIR/$page"
  sed -e 's#href="\./#href="../#g' -e 's#src="\./#src="../#g' \
    "$TRUNK_STAGING_DIR/index.html" > "$TRUNK_STAGING_DIR/$page/index.html"
done
