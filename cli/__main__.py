"""`python -m cli` = `ringrift-lake`."""
import sys

from cli import main

sys.exit(main())
