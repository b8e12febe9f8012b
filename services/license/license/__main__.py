"""``python -m license``: run the license service."""

from license.config import LicenseSettings
from license.main import create_app
from shared.runtime import serve

if __name__ == "__main__":
    settings = LicenseSettings()
    serve(create_app(settings), settings)
