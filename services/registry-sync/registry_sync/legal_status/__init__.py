"""The patent office's legal-status feed: polled from the last sequence applied, each
entry published once as ``PatentLegalStatusReported``."""
