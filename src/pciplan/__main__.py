import sys

from pciplan.cli import main

sys.exit(main())
