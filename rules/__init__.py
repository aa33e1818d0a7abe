"""The rule packs shipped with healthlint (YAML data; this file only makes the folder a package)."""
