"""Tax evidence: the VAT-exemption evidence of a registered transfer or licence contract."""
