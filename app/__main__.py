"""`python -m app`: the installed package's way to run what main.py runs in a checkout."""

from app.entry import main

if __name__ == "__main__":
    main()
