"""The exit codes of `python -m bot`, the same for every command."""

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2  # done; the files (or a check) found problems; wrong use
