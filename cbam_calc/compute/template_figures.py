"""What the communication templates did in a run (cbam_calc.compute.pipeline's parts, once
computed): the templates used, as the outputs and the run record name them, the lines by the
source of their SEE, and the Art 9 deduction their prices due would bring once evidenced.
Re-exported by cbam_calc.compute.pipeline."""

from __future__ import annotations

import numpy as np

from cbam_calc.compute.lines import ONCE_EVIDENCED
from cbam_calc.core.model import SourceCount, TemplateFigures, TemplateUsed
from cbam_calc.inputs.template_match import (
    FROM_TEMPLATE,
    SOURCE_DEFAULT,
    SOURCE_SHIPMENT,
    evidenced_files,
)
from cbam_calc.law import certificates as certs
from cbam_calc.law.de_minimis import exempt_lines


def templates_used(templates, proven) -> list[TemplateUsed]:
    """The templates a run was given, as its outputs and run record name them: file (as given),
    absolute path, SHA-256, installation, version, and whether its carbon price due is evidenced
    (``proven``: :func:`cbam_calc.inputs.template_match.evidenced_files`)."""
    from pathlib import Path

    return [
        TemplateUsed(
            file=t.file,
            absolute=str(Path(t.path).resolve()),
            sha256=t.sha256,
            installation=t.installation.name,
            version=t.version,
            evidenced=t.file in proven,
        )
        for t in templates
    ]


def template_figures(parts: list, exempt: set, templates, evidenced=None) -> TemplateFigures:
    """What the communication templates did in a run: the templates with their SHA-256 (the run
    record keeps them), the computed lines by the source of their SEE (shipment file, each
    template, default values), and the Art 9 deduction the templates' prices due would bring once
    evidenced (tCO2e and EUR, lines exempt under de minimis left out: they owe nothing either way).
    ``parts``: the pipeline's Parts (cbam_calc.compute.pipeline.Part, which imports this module).
    ``templates``: the list apply_templates joined (its refused templates already stopped the run)."""

    proven = evidenced_files(templates, evidenced)
    counts: dict[str, int] = {}
    due = unproven = 0
    tco2e = eur = 0.0
    for part in parts:
        good = np.asarray(part.good, dtype=bool)
        lines = part.validated.lines.loc[good]
        if "emissions_source" not in lines.columns:
            continue
        source = lines["emissions_source"].astype(str).to_numpy(dtype=object)
        key = np.where(
            np.isin(source, [SOURCE_SHIPMENT, SOURCE_DEFAULT]), source, lines["template_file"].astype(str)
        )
        for k, n in zip(*np.unique(key.astype(str), return_counts=True)):
            counts[k] = counts.get(k, 0) + int(n)
        cols = part.comp.columns.loc[good]
        from_template = lines[FROM_TEMPLATE].to_numpy(dtype=bool)
        due += int(from_template.sum())
        unproven += int((from_template & ~lines["carbon_price_evidenced"].to_numpy(dtype=bool)).sum())
        if ONCE_EVIDENCED in cols.columns:
            owed = ~exempt_lines(lines, cols["sector"], exempt)
            gain = np.where(owed, cols[ONCE_EVIDENCED].to_numpy(dtype=float), 0.0)
            tco2e += float(gain.sum())
            eur += float(certs.cost_eur(gain, cols["price_eur_per_tco2e"].to_numpy(dtype=float)).sum())
    order = [SOURCE_SHIPMENT, *(t.file for t in templates), SOURCE_DEFAULT]
    return TemplateFigures(
        templates=templates_used(templates, proven),
        evidenced=evidenced
        if evidenced is None or isinstance(evidenced, str)
        else [str(e) for e in evidenced],
        lines_by_source=[
            SourceCount(
                source=k if k in (SOURCE_SHIPMENT, SOURCE_DEFAULT) else "template",
                file="" if k in (SOURCE_SHIPMENT, SOURCE_DEFAULT) else k,
                lines=counts.get(k, 0),
            )
            for k in dict.fromkeys(order)
        ],
        price_due_lines=due,
        unevidenced_lines=unproven,
        once_evidenced_tco2e=round(tco2e, 6),
        once_evidenced_eur=round(eur, 2),
    )
