"""Entry of the kiosk build: the app always starts in clinic kiosk mode."""

import sys

from app.entry import main

if __name__ == "__main__":
    main(["--kiosk", *sys.argv[1:]])
