"""The technology-contract registration office's routes."""

from __future__ import annotations

from fastapi import FastAPI

from simulators.base import Office, SimulatorSettings


def create_app(settings: SimulatorSettings | None = None) -> FastAPI:
    office = Office(settings or SimulatorSettings())
    return office.app("technology-contract registration office (simulator)", [])
