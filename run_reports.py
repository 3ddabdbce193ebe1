"""Age an AR ledger and write the month-end reports. See README.md or --help."""

import sys

from aging.cli import main

if __name__ == "__main__":
    sys.exit(main())
