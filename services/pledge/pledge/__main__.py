"""``python -m pledge``: run the pledge service."""

from pledge.config import PledgeSettings
from pledge.main import create_app
from shared.runtime import serve

if __name__ == "__main__":
    settings = PledgeSettings()
    serve(create_app(settings), settings)
