"""`python -m simulators.tech_contract_office`: serve it on SIM_HTTP_HOST:SIM_HTTP_PORT."""

from simulators.base import SimulatorSettings, serve
from simulators.tech_contract_office.app import create_app

settings = SimulatorSettings()
serve(create_app(settings), settings)
