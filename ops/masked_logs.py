"""`python -m ops.masked_logs MODULE ARG…`: run a Python module (the Rasa server, the action
server) as `python -m MODULE ARG…` would, with every log record it makes masked first
(storage/privacy.py), so an ID-card, bank-card or mobile number a resident typed never reaches
its log file. Sanic's workers are forked from it and keep the masking."""

from __future__ import annotations

import runpy
import sys

from storage.privacy import mask_logs


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m ops.masked_logs MODULE [ARG…]")
    mask_logs()
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
