"""`python -m simulators.tech_contract_office`: serve it on SIM_HTTP_HOST:SIM_HTTP_PORT."""

from simulators.base import serve
from simulators.tech_contract_office.app import TechOfficeSettings, create_app

settings = TechOfficeSettings()
serve(create_app(settings), settings)
