"""`python -m simulators.patent_office`: serve the simulator on SIM_HTTP_HOST:SIM_HTTP_PORT."""

from simulators.base import serve
from simulators.patent_office.app import PatentOfficeSettings, create_app

settings = PatentOfficeSettings()
serve(create_app(settings), settings)
