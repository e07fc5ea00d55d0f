import { expect } from "chai";
import { network } from "hardhat";

import { assess, DEFAULT_TIMINGS } from "../../scripts/lib/index.js";
import { BELOW_THRESHOLD_REACTION, belowThreshold } from "../../scripts/scenarios/below-threshold.js";
import type { ScenarioOutcome } from "../../scripts/scenarios/world.js";

describe("Scenario 3 — below threshold: two of three signers lost", function () {
  let outcome: ScenarioOutcome;

  before(async function () {
    const connection = await network.create();
    try {
      outcome = await belowThreshold(connection, () => {});
    } finally {
      await connection.close();
    }
  });

  const entry = (action: string) => {
    const found = outcome.timeline.entries.find((e) => e.action.includes(action));
    expect(found !== undefined, `timeline entry "${action}"`).to.equal(true);
    return found!;
  };

  it("plays the loss the analysis assesses, on the production-like delays", function () {
    expect(outcome.loss).to.deep.equal({
      lostSigners: 2,
      compromisedSigners: 0,
      lostGuardians: 0,
      compromisedGuardians: 0,
    });
    expect(outcome.membership).to.deep.include({ signers: 3, threshold: 2, guardians: 3, guardianThreshold: 2 });
    expect(outcome.timings.recoveryDelay).to.equal(DEFAULT_TIMINGS.recoveryDelay);
    expect(outcome.timings.longDelay).to.equal(DEFAULT_TIMINGS.longDelay);
  });

  it("the chain shows what the analysis predicts: delayed, via recovery", function () {
    const verdict = assess(outcome.membership, outcome.timings, outcome.loss);
    expect(outcome.observed).to.equal(verdict.outcome);
    expect(outcome.observed).to.equal("delayed");
    expect(verdict.path).to.equal("recovery");
  });

  it("one remaining signer cannot withdraw alone", function () {
    expect(entry("alone").result).to.match(/^refused: 1 valid approvals, 2 needed \(ThresholdNotMet\(2, 1\)\)$/);
  });

  it("the recovery waits the recovery delay: executing it early is refused", function () {
    expect(entry("recover to carol, new key 1, new key 2").result).to.equal(
      "threshold 2; queued, executable in 3 d (recovery delay)",
    );
    expect(entry("1 h early").result).to.match(/^refused: the timelock has not passed/);
    expect(entry("execute the recovery (anyone").result).to.match(
      /^signers: carol, new key 1, new key 2, epoch 2; cool-off for 7 d/,
    );
  });

  it("the first withdrawal after the recovery waits the long delay (cool-off) and executes", function () {
    expect(entry("sign 100 ETH → hot wallet, queue").result).to.equal(
      "Queued, executable in 3 d: queued during the cool-off after a recovery: long delay",
    );
    expect(entry("execute the first withdrawal").result).to.equal("hot wallet received 100.0 ETH");
  });

  it("withdrawals resume within recoveryDelay + longDelay + the reaction time, never sooner than the delays", function () {
    const verdict = assess(outcome.membership, outcome.timings, outcome.loss);
    expect(verdict.bound).to.equal(outcome.timings.recoveryDelay + outcome.timings.longDelay);
    expect(typeof outcome.resumedAfter).to.equal("bigint");
    expect(outcome.resumedAfter! <= verdict.bound! + BELOW_THRESHOLD_REACTION).to.equal(true);
    expect(outcome.resumedAfter! >= outcome.timings.recoveryDelay + outcome.timings.longDelay).to.equal(true);
  });

  it("nothing leaves the vault but the withdrawal to the exchange's own hot wallet", function () {
    expect(outcome.stolen).to.equal(0n);
  });
});
