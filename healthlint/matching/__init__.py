"""Matching: one scan for every literal, regexes only where they can match, and the per-text
`Analysis` every rule kind reads."""
