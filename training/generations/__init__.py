"""Generations of search selfplay that make a stronger champion: see loop.py (the order of things),
steps.py (each stage), window.py (how much data, how much reuse), resign.py, heldout.py, settings.py."""
