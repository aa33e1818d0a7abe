"""Input: bytes to text, paths to files, YAML to plain data. Nothing here knows about rules."""
