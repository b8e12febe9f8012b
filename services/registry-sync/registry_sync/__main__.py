"""``python -m registry_sync``: run the registry-sync service."""

from registry_sync.config import RegistrySyncSettings
from registry_sync.main import create_app
from shared.runtime import serve

if __name__ == "__main__":
    settings = RegistrySyncSettings()
    serve(create_app(settings), settings)
