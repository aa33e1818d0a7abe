"""The release: one place for the version, read by the package, the CLI, SARIF and the build."""

__version__ = "0.1.0"
