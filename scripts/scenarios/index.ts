/**
 * Every key-loss scenario, in the order the demo plays them, and the check that ties them to the
 * analysis: each scenario's observed outcome must be what `assess` predicts for the keys it lost.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { assess, describeLoss, type ReportScenario } from "../lib/index.js";
import { belowThreshold } from "./below-threshold.js";
import { beyondCouncilTheft, beyondFrozen } from "./beyond-the-model.js";
import { okexDetainedSigner } from "./okex.js";
import { rogueGuardian } from "./rogue-guardian.js";
import { routineWithdrawal } from "./routine.js";
import { splitBrain } from "./split-brain.js";
import { stolenQuorum } from "./stolen-quorum.js";
import type { Scenario, ScenarioOutcome } from "./world.js";

export const SCENARIOS: readonly Scenario[] = [
  routineWithdrawal,
  okexDetainedSigner,
  belowThreshold,
  stolenQuorum,
  rogueGuardian,
  splitBrain,
  beyondFrozen,
  beyondCouncilTheft,
];

/** Plays every scenario, each on a fresh in-process chain from `create`. */
export async function playScenarios(
  create: () => Promise<NetworkConnection>,
  print?: (line: string) => void,
): Promise<ScenarioOutcome[]> {
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of SCENARIOS) {
    const connection = await create();
    try {
      outcomes.push(await scenario(connection, print));
    } finally {
      await connection.close();
    }
  }
  return outcomes;
}

/** A scenario as the report shows it, with the analysis' prediction for its loss. */
export function reportScenario(o: ScenarioOutcome): ReportScenario {
  return {
    title: o.title,
    entries: o.timeline.entries,
    summary: o.summary,
    observed: o.observed,
    predicted: assess(o.membership, o.timings, o.loss).outcome,
    loss: describeLoss(o.loss),
    vault: `${o.membership.threshold}-of-${o.membership.signers} signers, ${o.membership.guardianThreshold}-of-${o.membership.guardians} guardians, council ${o.membership.councilThreshold}`,
  };
}
