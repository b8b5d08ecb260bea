import sys

from ringrift_lake.cli import main

sys.exit(main())
