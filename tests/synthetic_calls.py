"""Small synthetic calls in "Name: text" lines, for the scale and fault tests."""

from __future__ import annotations

CALL = """\
Operator: Good morning and welcome to the {company} {quarter} quarter 2025 earnings call.
Jane Doe: Thank you. Revenue grew {growth}% year over year, driven by strong demand for AI servers.
John Smith: Could you talk about GPU supply and export restrictions?
Jane Doe: Chip supply remains tight, but we secured enough GPUs for the next two quarters.
John Smith: And pricing? Jane Doe: We cut prices on some CDN products, and margins were under pressure.
"""
