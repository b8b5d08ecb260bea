"""Exec a program with SIGINT restored to its default action.

A job started in the background by a non-interactive shell inherits SIGINT as
ignored, and Dagster maps SIGTERM onto its SIGINT handler, so such a
`dagster dev` ignores both (docs: STACK_NOTES section 5). Exec'ing it through
this launcher makes Ctrl-C and SIGTERM stop it cleanly.

    python scripts/sigint_exec.py PROGRAM [ARGS...]
"""
import os
import shutil
import signal
import sys

if len(sys.argv) < 2:
    sys.exit(__doc__)
signal.signal(signal.SIGINT, signal.SIG_DFL)
program = shutil.which(sys.argv[1]) or sys.argv[1]
os.execv(program, sys.argv[1:])
