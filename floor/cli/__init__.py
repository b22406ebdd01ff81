"""The `floor` command line."""
