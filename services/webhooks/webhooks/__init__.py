"""Webhooks service: delivers every public event to connected platforms (regional
exchanges) and takes their inbound listings — publish once, reach every platform."""
