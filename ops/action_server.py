"""The action server, on the loopback interface and only for a caller with its token.

``python -m rasa_sdk`` listens on every interface (SANIC_HOST, default 0.0.0.0) and runs any
caller's actions, which read and write residents' data. This runs the same rasa_sdk app on
127.0.0.1 and refuses, with 401, every request but ``/health`` whose ``?token=`` is not
LEGALBOT_ACTION_TOKEN (or the secret under var/): the Rasa server sends it (endpoints.yml
``action_endpoint.token``). Run by ops/servers.py as ``python -m ops.action_server --port N``.
"""

from __future__ import annotations

import argparse
import hmac

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from config.settings import Settings

HOST = "127.0.0.1"
OPEN_PATHS = {"/health"}  # the health check that ops/servers.py waits on tells nothing


def guarded_app(token: str) -> Sanic:
    """rasa_sdk's app for our actions, refusing callers without ``token``."""
    app = create_app("actions", cors_origins=None)

    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or hmac.compare_digest(request.args.get("token", "").encode(), token.encode()):
            return None
        return response.json({"error": "a valid token is required"}, status=401)

    app.register_middleware(require_token, "request")
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = guarded_app(Settings.from_env().action_server_token())
    app.run(HOST, args.port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
