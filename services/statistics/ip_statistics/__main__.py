"""``python -m ip_statistics``: run the statistics service."""

from ip_statistics.config import StatisticsSettings
from ip_statistics.main import create_app
from shared.runtime import serve

if __name__ == "__main__":
    settings = StatisticsSettings()
    serve(create_app(settings), settings)
