"""Front ends: the command line, batch runs and servers. The only modules that print."""
