/**
 * Resilience analysis: for a vault configuration, what happens when some keys are LOST (nobody can
 * use them) and some are COMPROMISED (an attacker uses them), for every combination — by count,
 * since all signers are interchangeable, and so are all guardians.
 *
 * The rules are those of docs/SPEC.md §6-§7, with honest keys reacting within T_r (a time the
 * vault cannot bound; every "delayed" bound below adds it):
 *
 *   - An attacker holding C keys queues a council change nobody can cancel: AT RISK.
 *   - An attacker holding M signer keys queues withdrawals; each one waits at least the withdrawal
 *     delay, during which one honest guardian vetoes it (more vetoes need more guardians, §6.1), and
 *     K honest guardians tighten the policy and freeze. The honest keys end it with a council change
 *     (≥ C of them). Without an honest guardian, or without C honest keys: AT RISK. Otherwise
 *     DELAYED via the council — with the drain bound of THREAT_MODEL.md if guardians are slow.
 *   - An attacker holding K guardian keys queues a recovery to its own signers. The honest signer
 *     quorum cancels it (and lifts its freezes); without one, the honest keys' council change
 *     cancels it only if it executes first (councilDelay + T_r before recoveryDelay + longDelay:
 *     the recovered signers' withdrawals wait the long delay during the cool-off). Otherwise AT RISK.
 *   - Without an attacker quorum: the honest signer quorum acts as before (UNAFFECTED; rogue
 *     guardians' vetoes and freezes are rate-limited: DELAYED per withdrawal); without it K honest
 *     guardians recover the vault, or C honest keys form the council (DELAYED); with neither, the
 *     vault is FROZEN for good (beyond the model).
 */
import type { Timings } from "./config.js";

/** The membership a verdict depends on (counts and thresholds) and the delays that bound it. */
export interface Membership {
  signers: number;
  threshold: number;
  guardians: number;
  guardianThreshold: number;
  councilThreshold: number;
}

/** How many keys of each group are lost or compromised (a key is one or the other, or neither). */
export interface KeyLoss {
  lostSigners: number;
  compromisedSigners: number;
  lostGuardians: number;
  compromisedGuardians: number;
}

export type Outcome = "unaffected" | "delayed" | "frozen" | "at-risk";

export interface Verdict {
  outcome: Outcome;
  /** How honest keys get withdrawals going again (or what the attacker does). */
  path: string;
  /** For "delayed": withdrawals possible again within this many seconds plus the reaction time T_r. */
  bound?: bigint;
  /** One sentence for people. */
  why: string;
}

type Delays = Pick<Timings, "withdrawalDelay" | "longDelay" | "recoveryDelay" | "councilDelay">;

/** The verdict for one combination of lost and compromised keys. */
export function assess(m: Membership, t: Delays, loss: KeyLoss): Verdict {
  const honestSigners = m.signers - loss.lostSigners - loss.compromisedSigners;
  const honestGuardians = m.guardians - loss.lostGuardians - loss.compromisedGuardians;
  const honestKeys = honestSigners + honestGuardians;
  const attackerKeys = loss.compromisedSigners + loss.compromisedGuardians;
  const honestCouncil = honestKeys >= m.councilThreshold;
  const viaCouncil = t.councilDelay + t.withdrawalDelay;

  if (attackerKeys >= m.councilThreshold) {
    return {
      outcome: "at-risk",
      path: "attacker council",
      why: `the attacker holds ${attackerKeys} ≥ C = ${m.councilThreshold} keys: its council change cannot be cancelled or vetoed`,
    };
  }
  if (loss.compromisedSigners >= m.threshold) {
    if (honestGuardians >= 1 && honestCouncil) {
      return {
        outcome: "delayed",
        path: "veto, then council",
        bound: viaCouncil,
        why:
          `the attacker's withdrawals wait the delay; ${honestGuardians} honest guardian(s) veto them` +
          (honestGuardians >= m.guardianThreshold ? " (and can tighten and freeze)" : "") +
          ` while ${honestKeys} honest keys replace the signers by council`,
      };
    }
    return {
      outcome: "at-risk",
      path: "attacker signer quorum",
      why:
        honestGuardians === 0
          ? "the attacker holds a signer quorum and no honest guardian is left to veto its withdrawals"
          : `the attacker holds a signer quorum and only ${honestKeys} < C honest keys remain: vetoes only delay it`,
    };
  }
  if (loss.compromisedGuardians >= m.guardianThreshold) {
    if (honestSigners >= m.threshold) {
      return honestCouncil
        ? {
            outcome: "delayed",
            path: "cancel recovery, then council",
            bound: viaCouncil,
            why: "the honest signers cancel the attacker's recovery and lift its freezes; the council replaces the guardians",
          }
        : {
            outcome: "delayed",
            path: "cancel recovery (stalemate)",
            bound: t.longDelay,
            why: `the honest signers cancel the attacker's recoveries and lift its freezes, but with ${honestKeys} < C honest keys nobody can replace the guardians: every withdrawal may be vetoed (rate-limited)`,
          };
    }
    if (honestCouncil && t.councilDelay <= t.recoveryDelay + t.longDelay) {
      return {
        outcome: "delayed",
        path: "council (race against recovery)",
        bound: viaCouncil,
        why: "no signer quorum can cancel the attacker's recovery; the honest keys' council change must execute first (it cancels the recovery): react within recoveryDelay + longDelay − councilDelay",
      };
    }
    return {
      outcome: "at-risk",
      path: "attacker recovery",
      why: "the attacker's guardians recover the vault to their own signers and no honest quorum can stop it in time",
    };
  }
  if (honestSigners >= m.threshold) {
    return loss.compromisedGuardians > 0
      ? {
          outcome: "delayed",
          path: "veto rate limit",
          bound: t.longDelay,
          why: `rogue guardians can veto (rate-limited, §6.1) but not freeze (fewer than K): a withdrawal re-queued after a veto executes`,
        }
      : {
          outcome: "unaffected",
          path: "signer quorum",
          bound: 0n,
          why: `${honestSigners} honest signers ≥ M = ${m.threshold}`,
        };
  }
  if (honestGuardians >= m.guardianThreshold) {
    return {
      outcome: "delayed",
      path: "recovery",
      bound: t.recoveryDelay + t.longDelay,
      why: `${honestSigners} honest signers < M; ${honestGuardians} honest guardians ≥ K recover the vault, then the cool-off's long delay`,
    };
  }
  if (honestCouncil) {
    return {
      outcome: "delayed",
      path: "council",
      bound: viaCouncil,
      why: `no signer or guardian quorum is left; ${honestKeys} honest keys ≥ C = ${m.councilThreshold} form the council`,
    };
  }
  return {
    outcome: "frozen",
    path: "none",
    why: `${honestSigners} honest signers < M, ${honestGuardians} honest guardians < K, ${honestKeys} honest keys < C: no quorum can ever act again`,
  };
}

export interface AnalysisCell {
  loss: KeyLoss;
  verdict: Verdict;
}

/** Every combination of lost and compromised keys, by count. */
export function analyze(m: Membership, t: Delays): AnalysisCell[] {
  const cells: AnalysisCell[] = [];
  for (let ls = 0; ls <= m.signers; ls++)
    for (let cs = 0; ls + cs <= m.signers; cs++)
      for (let lg = 0; lg <= m.guardians; lg++)
        for (let cg = 0; lg + cg <= m.guardians; cg++) {
          const loss = { lostSigners: ls, compromisedSigners: cs, lostGuardians: lg, compromisedGuardians: cg };
          cells.push({ loss, verdict: assess(m, t, loss) });
        }
  return cells;
}

/** Worst first: the order in which outcomes are reported. */
export const OUTCOME_RANK: Record<Outcome, number> = { "at-risk": 3, frozen: 2, delayed: 1, unaffected: 0 };

/** One letter per outcome, for the compact table. */
export const OUTCOME_LETTER: Record<Outcome, string> = { unaffected: "·", delayed: "d", frozen: "F", "at-risk": "R" };

/**
 * Whether losing `a` is no worse than losing `b`: per group, no more keys gone in all and no more
 * of them in the attacker's hands (a stolen key is at least as bad as a lost one: the attacker can
 * always leave it unused).
 */
function milder(a: KeyLoss, b: KeyLoss): boolean {
  return (
    a.lostSigners + a.compromisedSigners <= b.lostSigners + b.compromisedSigners &&
    a.compromisedSigners <= b.compromisedSigners &&
    a.lostGuardians + a.compromisedGuardians <= b.lostGuardians + b.compromisedGuardians &&
    a.compromisedGuardians <= b.compromisedGuardians
  );
}

/**
 * The configuration's weakest points: for "frozen" and "at-risk", the smallest combinations that
 * lead there (no milder combination leads to the same or a worse outcome).
 */
export function weakestPoints(cells: readonly AnalysisCell[]): AnalysisCell[] {
  const bad = cells.filter((c) => c.verdict.outcome === "frozen" || c.verdict.outcome === "at-risk");
  return bad.filter(
    (c) =>
      !bad.some(
        (d) => d !== c && milder(d.loss, c.loss) && OUTCOME_RANK[d.verdict.outcome] >= OUTCOME_RANK[c.verdict.outcome],
      ),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "losing any 2 signers and 1 guardian, with an attacker holding 1 signer key". */
export function describeLoss(loss: KeyLoss): string {
  const lost = [
    loss.lostSigners ? plural(loss.lostSigners, "signer") : "",
    loss.lostGuardians ? plural(loss.lostGuardians, "guardian") : "",
  ].filter(Boolean);
  const stolen = [
    loss.compromisedSigners ? plural(loss.compromisedSigners, "signer key") : "",
    loss.compromisedGuardians ? plural(loss.compromisedGuardians, "guardian key") : "",
  ].filter(Boolean);
  const parts = [
    lost.length ? `losing any ${lost.join(" and ")}` : "",
    stolen.length ? `an attacker holding any ${stolen.join(" and ")}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", with ") : "no loss";
}

/** One sentence per weakest point: "losing any 2 signers and 2 guardians freezes the vault for good". */
export function weakestPointSentences(cells: readonly AnalysisCell[]): string[] {
  return weakestPoints(cells).map(
    ({ loss, verdict }) =>
      `${describeLoss(loss)} ${verdict.outcome === "frozen" ? "freezes the vault for good" : "puts the funds at risk"} (${verdict.why})`,
  );
}

/**
 * The analysis as a compact table: a row per (lost, compromised) signers, a column per (lost,
 * compromised) guardians, one letter per cell (see OUTCOME_LETTER).
 */
export function formatAnalysisTable(m: Membership, cells: readonly AnalysisCell[]): string {
  const pairs = (n: number) => {
    const out: [number, number][] = [];
    for (let lost = 0; lost <= n; lost++) for (let comp = 0; lost + comp <= n; comp++) out.push([lost, comp]);
    return out;
  };
  const byKey = new Map(
    cells.map((c) => [
      `${c.loss.lostSigners}/${c.loss.compromisedSigners}/${c.loss.lostGuardians}/${c.loss.compromisedGuardians}`,
      c.verdict.outcome,
    ]),
  );
  const columns = pairs(m.guardians);
  const label = "signers lost/stolen \\ guardians lost/stolen";
  const head = `${label}  ${columns.map(([l, c]) => `${l}/${c}`.padStart(3)).join(" ")}`;
  const rows = pairs(m.signers).map(([ls, cs]) => {
    const cellsText = columns.map(([lg, cg]) => ` ${OUTCOME_LETTER[byKey.get(`${ls}/${cs}/${lg}/${cg}`)!]} `);
    return `${`${ls}/${cs}`.padStart(label.length)}  ${cellsText.join(" ")}`.trimEnd();
  });
  const legend = `${OUTCOME_LETTER.unaffected} unaffected   ${OUTCOME_LETTER.delayed} delayed (bounded)   ${OUTCOME_LETTER.frozen} frozen for good   ${OUTCOME_LETTER["at-risk"]} funds at risk`;
  return [head, ...rows, legend].join("\n");
}
