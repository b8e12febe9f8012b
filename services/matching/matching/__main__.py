"""``python -m matching``: run the matching service."""

from matching.config import MatchingSettings
from matching.main import create_app
from shared.runtime import serve

if __name__ == "__main__":
    settings = MatchingSettings()
    serve(create_app(settings), settings)
