"""What happens to findings after linting: fixes, verdicts, baselines."""
