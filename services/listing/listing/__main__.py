"""``python -m listing``: run the listing service."""

from listing.config import ListingSettings
from listing.main import create_app
from shared.runtime import serve

if __name__ == "__main__":
    settings = ListingSettings()
    serve(create_app(settings), settings)
