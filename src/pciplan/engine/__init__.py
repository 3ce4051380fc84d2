"""pciplan's index engine — pure Python (numpy, pandas, scipy), no Django.

Modules:

* :mod:`~pciplan.engine.editions` — frozen edition specs (sub-indices, weights) loaded from data files.
* :mod:`~pciplan.engine.data` — the shipped PCI results, indicators and indicator values as frames.
* :mod:`~pciplan.engine.scoring` — rescaling, aggregation, totals, competition ranks, groups.
* :mod:`~pciplan.engine.whatif` — what-if against a year's field; marginal table.
* :mod:`~pciplan.engine.solver` — cheapest sub-index increases reaching a target rank or group.
* :mod:`~pciplan.engine.uncertainty` — bootstrap from firm answers; weight sensitivity.
* :mod:`~pciplan.engine.results` — parsing published results tables (CSV/XLSX) with row/column errors.
* :mod:`~pciplan.engine.calibrate` — rescaling bounds calibrated from published scores.
* :mod:`~pciplan.engine.cli` — ``pciplan score|whatif|solve``.
* :mod:`~pciplan.engine.proportions` — survey proportions with intervals.

The most used names are available here lazily (``from pciplan.engine import what_if``) so importing
one module does not load the others.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "EditionSpec": "editions", "SubIndexSpec": "editions", "load_edition": "editions",
    "list_editions": "editions", "edition_for_year": "editions", "edition_from_dict": "editions",
    "EngineError": "errors", "EditionError": "errors", "DataNotFound": "errors", "InputError": "errors",
    "Issue": "errors",
    "load_results": "data", "load_years": "data", "load_group_cutoffs": "data", "load_indicators": "data",
    "load_indicator_values": "data", "SUBINDEX_CODES": "data",
    "rescale": "scoring", "aggregate": "scoring", "total_score": "scoring", "competition_rank": "scoring",
    "assign_group": "scoring", "score_table": "scoring", "group_weights": "scoring", "extend_bounds": "scoring", "data_bounds": "scoring",
    "what_if": "whatif", "load_field": "whatif", "marginal_table": "whatif",
    "solve_target": "solver", "minimum_increase": "solver",
    "bootstrap": "uncertainty", "weight_sensitivity": "uncertainty", "IndicatorSpec": "uncertainty",
    "parse_results": "results", "parse_results_table": "results",
    "ProvinceMatcher": "provinces",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pciplan.engine' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
