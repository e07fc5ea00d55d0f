import { expect } from "chai";
import { network } from "hardhat";

import { assess } from "../../scripts/lib/index.js";
import { STOLEN_QUORUM_REACTION, stolenQuorum } from "../../scripts/scenarios/stolen-quorum.js";
import type { ScenarioOutcome } from "../../scripts/scenarios/world.js";

describe("Scenario 4 — stolen quorum: an attacker holds alice's and bob's keys", function () {
  let outcome: ScenarioOutcome;

  before(async function () {
    const connection = await network.create();
    try {
      outcome = await stolenQuorum(connection, () => {});
    } finally {
      await connection.close();
    }
  });

  const entries = (action: string) => outcome.timeline.entries.filter((e) => e.action.includes(action));
  const entry = (action: string) => {
    const [found] = entries(action);
    expect(found !== undefined, `timeline entry "${action}"`).to.equal(true);
    return found!;
  };

  it("the chain shows what the analysis predicts: delayed, via veto then council", function () {
    expect(outcome.loss).to.deep.equal({
      lostSigners: 0,
      compromisedSigners: 2,
      lostGuardians: 0,
      compromisedGuardians: 0,
    });
    const verdict = assess(outcome.membership, outcome.timings, outcome.loss);
    expect(outcome.observed).to.equal(verdict.outcome);
    expect(outcome.observed).to.equal("delayed");
    expect(verdict.path).to.equal("veto, then council");
  });

  it("nothing is stolen", function () {
    expect(outcome.stolen).to.equal(0n);
    expect(entry("balance").result).to.equal("1000.0 ETH (before the theft: 1000.0 ETH)");
  });

  it("a drain off the allowlist and over the limit waits the long delay", function () {
    expect(entry("delayFor(900 ETH → attacker)").result).to.equal(
      "3 d: destination not on the allowlist: long delay; " +
        "even to the hot wallet 3 d: over the asset's outflow limit for its period (or no limit set): long delay",
    );
    expect(entry("queue 900 ETH → attacker (alice + bob sign)").result).to.equal(
      "Queued, executable in 3 d (quoted: destination not on the allowlist: long delay)",
    );
  });

  it("a single guardian vetoes the first drain", function () {
    expect(entry("veto the drain (requirement: 1 guardian)").result).to.equal(
      "drain Cancelled; next veto needs 2 guardians",
    );
  });

  it("the veto requirement rises: one guardian is refused, two veto the second drain", function () {
    expect(entry("queue 900 ETH → attacker again").result).to.match(/^Queued, executable in 3 d/);
    expect(entry("veto it alone").result).to.match(
      /^refused: 1 guardian signatures, 2 needed at the current veto level/,
    );
    expect(entry("veto it together").result).to.equal("drain Cancelled; next veto needs 3 guardians");
  });

  it("the attacker cannot cancel the council change, which executes after the council delay", function () {
    expect(entry("council: replace alice, bob").result).to.equal(
      "4 of C = 4 signed (carol, gina, gus, gwen); queued, executable in 4 d (council delay)",
    );
    expect(entry("cancel the council change").result).to.match(
      /^refused: the operation is neither pending nor queued: nothing to cancel \(NothingToCancel\(/,
    );
    expect(entry("execute the council change").result).to.equal("signers: carol, new key 1, new key 2 (epoch 2)");
  });

  it("after the council the stolen keys sign for nobody", function () {
    expect(entry("with the old keys").result).to.match(
      /^refused: signature 0 recovers to (alice|bob), not a key of the quorum \(SignatureNotFromSigner\(/,
    );
  });

  it("honest withdrawals resume within councilDelay + withdrawalDelay + the reaction time", function () {
    const verdict = assess(outcome.membership, outcome.timings, outcome.loss);
    expect(verdict.bound).to.equal(outcome.timings.councilDelay + outcome.timings.withdrawalDelay);
    expect(entry("execute it").result).to.equal("hot wallet received 100.0 ETH");
    expect(typeof outcome.resumedAfter).to.equal("bigint");
    expect(outcome.resumedAfter! <= verdict.bound! + STOLEN_QUORUM_REACTION).to.equal(true);
    expect(outcome.resumedAfter! >= verdict.bound!).to.equal(true);
  });
});
