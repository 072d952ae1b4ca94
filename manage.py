#!/usr/bin/env python
from kiemtra.cli import main

if __name__ == "__main__":
    main()
