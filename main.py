"""Facet Companion: `python main.py` opens the app; `python main.py --help` lists the verbs."""

from app.entry import main

if __name__ == "__main__":
    main()
