"""The patent office recordal and legal-status service's routes."""

from __future__ import annotations

from fastapi import FastAPI

from simulators.base import Office, SimulatorSettings


def create_app(settings: SimulatorSettings | None = None) -> FastAPI:
    office = Office(settings or SimulatorSettings())
    return office.app("patent office recordal and legal status (simulator)", [])
