"""`python -m simulators.patent_office`: serve the simulator on SIM_HTTP_HOST:SIM_HTTP_PORT."""

from simulators.base import SimulatorSettings, serve
from simulators.patent_office.app import create_app

settings = SimulatorSettings()
serve(create_app(settings), settings)
