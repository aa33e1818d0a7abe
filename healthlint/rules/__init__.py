"""Rule packs: YAML read safely, validated against each kind's declared options, compiled once."""
