#!/usr/bin/env python3
from safepassage.cli import main

if __name__ == "__main__":
    main()
