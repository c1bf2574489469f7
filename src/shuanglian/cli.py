"""The `shuanglian` console command: Django's management commands under our name."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuanglian.config.settings")
    from django.core.management import execute_from_command_line  # after the settings module is chosen

    argv = list(sys.argv)
    argv[0] = "shuanglian"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
