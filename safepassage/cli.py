"""The `safepassage` console script: Django's management commands under one name.

    safepassage init-org "Name" USERNAME     safepassage audit verify
    safepassage demo                         safepassage serve
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")  # `init-org` is the command `init_org`
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
