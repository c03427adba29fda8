"""A stand-in for ``lake``, just enough for lean-interact: ``--version``, ``build``, ``exe cache get``
(no-ops) and ``env CMD...``, which runs CMD as a child process the way lake does (on SIGTERM it ends
the child and reaps it before exiting, so no zombie is left behind)."""

import signal
import subprocess
import sys


def main(args: list[str]) -> int:
    if args[:1] == ["--version"]:
        print("Lake version 5.0.0-standin (Lean version 4.33.0-rc2)")
        return 0
    if args[:1] == ["build"] or args[:3] == ["exe", "cache", "get"]:
        return 0
    if args[:1] == ["env"] and len(args) > 1:
        child = subprocess.Popen(args[1:])

        signal.signal(signal.SIGTERM, lambda signum, frame: child.terminate())
        code = child.wait()  # returns once the child is gone (and reaped)
        return 128 - code if code < 0 else code
    print(f"stand-in lake: unsupported arguments {args}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
