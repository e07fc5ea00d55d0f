/**
 * The resilience report: one self-contained HTML file (no scripts, no fonts, no network) with the
 * analysis as a colour-coded grid, the weakest points, and each played scenario's timeline as an
 * inline SVG chart.
 */
import { formatSpan } from "./events.js";
import { describeLoss, OUTCOME_LETTER, type AnalysisCell, type Membership, type Outcome } from "./resilience.js";

/** A scenario as the report shows it. */
export interface ReportScenario {
  title: string;
  entries: readonly { elapsed: bigint; actor: string; action: string; result: string }[];
  summary: string;
  observed: Outcome;
  /** The analysis' prediction for the scenario's loss. */
  predicted: Outcome;
  loss: string;
  /** The vault the scenario played on, e.g. "2-of-3 signers, 2-of-3 guardians, council 4". */
  vault: string;
}

export interface ReportInput {
  title: string;
  /** What was analysed, e.g. the configuration file. */
  source: string;
  membership: Membership;
  cells: readonly AnalysisCell[];
  weakestPoints: readonly string[];
  scenarios: readonly ReportScenario[];
  generatedAt: Date;
}

const COLOURS: Record<Outcome, string> = {
  unaffected: "#cdeccd",
  delayed: "#fbe7a1",
  frozen: "#c9cfd8",
  "at-risk": "#f4a3a3",
};

const LABELS: Record<Outcome, string> = {
  unaffected: "unaffected",
  delayed: "delayed (bounded)",
  frozen: "frozen for good",
  "at-risk": "funds at risk",
};

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function pairs(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let lost = 0; lost <= n; lost++) for (let stolen = 0; lost + stolen <= n; stolen++) out.push([lost, stolen]);
  return out;
}

function grid(m: Membership, cells: readonly AnalysisCell[]): string {
  const byKey = new Map(
    cells.map((c) => [
      `${c.loss.lostSigners}/${c.loss.compromisedSigners}/${c.loss.lostGuardians}/${c.loss.compromisedGuardians}`,
      c,
    ]),
  );
  const columns = pairs(m.guardians);
  const head = columns.map(([l, s]) => `<th scope="col">${l} lost<br>${s} stolen</th>`).join("");
  const rows = pairs(m.signers)
    .map(([ls, cs]) => {
      const tds = columns
        .map(([lg, cg]) => {
          const c = byKey.get(`${ls}/${cs}/${lg}/${cg}`)!;
          const o = c.verdict.outcome;
          const bound =
            c.verdict.bound !== undefined && o === "delayed" ? ` — within T_r + ${formatSpan(c.verdict.bound)}` : "";
          const tip = `${describeLoss(c.loss)}: ${LABELS[o]}${bound} (${c.verdict.path}). ${c.verdict.why}`;
          return `<td class="cell ${o}" title="${escape(tip)}">${escape(OUTCOME_LETTER[o])}</td>`;
        })
        .join("");
      return `<tr><th scope="row">${ls} lost, ${cs} stolen</th>${tds}</tr>`;
    })
    .join("\n");
  return `<table class="grid"><thead><tr><th>signers \\ guardians</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function actorColour(actor: string): string {
  if (/attacker|thie|rogue/i.test(actor)) return "#c0392b";
  if (/^(gina|gus|gwen|gil|gail|guardians?)\b/i.test(actor)) return "#2a6fb0";
  if (/relayer|deployer|anyone/i.test(actor)) return "#6b7280";
  return "#2e7d32";
}

/**
 * A timeline as SVG: time runs left to right (proportional to the chain time elapsed), one row
 * per step, a dot at the step's time and its words beside it.
 */
export function timelineSvg(s: ReportScenario): string {
  const rowHeight = 22;
  const left = 110;
  const chartWidth = 300;
  // Wide enough for the longest line at ~6.2 px per character of 11 px text.
  const longest = s.entries.reduce((max, e) => Math.max(max, e.action.length + e.result.length + 3), 40);
  const width = left + chartWidth + 16 + Math.ceil(longest * 6.2);
  const top = 30;
  const height = top + s.entries.length * rowHeight + 20;
  const end = s.entries.reduce((max, e) => (e.elapsed > max ? e.elapsed : max), 1n);
  const x = (t: bigint) => left + Number((t * BigInt(chartWidth)) / end);
  const ticks = [0n, end / 2n, end]
    .map(
      (t) =>
        `<line x1="${x(t)}" y1="${top - 8}" x2="${x(t)}" y2="${height - 14}" stroke="#ddd"/>` +
        `<text x="${x(t)}" y="${top - 12}" font-size="11" text-anchor="middle" fill="#555">${escape(formatSpan(t))}</text>`,
    )
    .join("");
  const rows = s.entries
    .map((e, i) => {
      const y = top + i * rowHeight + 10;
      const colour = actorColour(e.actor);
      return (
        `<g class="step"><circle cx="${x(e.elapsed)}" cy="${y}" r="5" fill="${colour}"/>` +
        `<text x="${left - 8}" y="${y + 4}" font-size="11" text-anchor="end" fill="${colour}">${escape(e.actor)}</text>` +
        `<text x="${left + chartWidth + 16}" y="${y + 4}" font-size="11" fill="#222">${escape(`${e.action} — ${e.result}`)}</text></g>`
      );
    })
    .join("\n");
  return (
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escape(s.title)}">` +
    `${ticks}<line x1="${left}" y1="${top - 8}" x2="${left + chartWidth}" y2="${top - 8}" stroke="#999"/>\n${rows}</svg>`
  );
}

/** The whole report as one HTML document. */
export function renderReport(r: ReportInput): string {
  const counts = { unaffected: 0, delayed: 0, frozen: 0, "at-risk": 0 } as Record<Outcome, number>;
  for (const c of r.cells) counts[c.verdict.outcome]++;
  const legend = (Object.keys(LABELS) as Outcome[])
    .map((o) => `<span class="cell ${o}">${escape(OUTCOME_LETTER[o])}</span> ${LABELS[o]} (${counts[o]})`)
    .join(" &nbsp; ");
  const scenarios = r.scenarios
    .map(
      (s) => `<section class="scenario">
<h3>${escape(s.title)}</h3>
<p>Vault: ${escape(s.vault)}. Keys: ${escape(s.loss)}. Observed on the chain: <b class="${s.observed}">${LABELS[s.observed]}</b>; the analysis predicted: <b>${LABELS[s.predicted]}</b> ${s.observed === s.predicted ? "✓" : "✗ MISMATCH"}</p>
${timelineSvg(s)}
<p class="summary">${escape(s.summary)}</p>
</section>`,
    )
    .join("\n");
  const m = r.membership;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(r.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table.grid { border-collapse: collapse; }
table.grid th, table.grid td { border: 1px solid #bbb; padding: 3px 6px; text-align: center; font-size: 12px; }
span.cell { display: inline-block; min-width: 1.4em; text-align: center; }
td.cell { min-width: 1.6em; }
.unaffected { background: ${COLOURS.unaffected}; } .delayed { background: ${COLOURS.delayed}; }
.frozen { background: ${COLOURS.frozen}; } .at-risk { background: ${COLOURS["at-risk"]}; }
section.scenario { margin-top: 2em; } p.summary { font-style: italic; }
</style></head>
<body>
<h1>${escape(r.title)}</h1>
<p>${escape(r.source)}: ${m.threshold}-of-${m.signers} signers, ${m.guardianThreshold}-of-${m.guardians} guardians, council ${m.councilThreshold} of ${m.signers + m.guardians}. Generated ${escape(r.generatedAt.toISOString())}.</p>
<h2>Every combination of lost and stolen keys</h2>
<p>Rows: signers lost and stolen; columns: guardians lost and stolen. Hover a cell for the path and the bound (T_r is the time the honest keys take to react).</p>
${grid(m, r.cells)}
<p class="legend">${legend}</p>
<h2>Weakest points</h2>
<ul class="weakest">${r.weakestPoints.map((w) => `<li>${escape(w)}</li>`).join("")}</ul>
<h2>Scenarios played on a local chain</h2>
${scenarios}
</body></html>
`;
}
