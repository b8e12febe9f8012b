"""``python -m webhooks``: run the webhooks service."""

from shared.runtime import serve
from webhooks.config import WebhooksSettings
from webhooks.main import create_app

if __name__ == "__main__":
    settings = WebhooksSettings()
    serve(create_app(settings), settings)
