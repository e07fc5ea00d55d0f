import { expect } from "chai";
import { network } from "hardhat";

import { assess } from "../../scripts/lib/index.js";
import { rogueGuardian } from "../../scripts/scenarios/rogue-guardian.js";

describe("Scenario 5 — rogue guardians (two guardian keys, K = 2, stolen)", function () {
  it("vetoes, freezes and the recovery are bounded, the council replaces them; delayed as the analysis predicts, nothing stolen", async function () {
    const connection = await network.create();
    try {
      const outcome = await rogueGuardian(connection, () => {});
      const verdict = assess(outcome.membership, outcome.timings, outcome.loss);
      expect(outcome.loss).to.deep.equal({
        lostSigners: 0,
        compromisedSigners: 0,
        lostGuardians: 0,
        compromisedGuardians: 2,
      });
      expect(verdict.outcome).to.equal("delayed");
      expect(outcome.observed).to.equal(verdict.outcome);
      expect(outcome.stolen).to.equal(0n);

      const result = (action: string) => {
        const entry = outcome.timeline.entries.find((e) => e.action === action);
        expect(entry, `no timeline entry "${action}"`).to.not.equal(undefined);
        return entry!.result;
      };
      // Veto spam: two vetoes back to back, the third refused until a quiet period passes.
      expect(result("veto W1 an hour before it executes")).to.match(
        /^vetoed \(Cancelled\); the next veto needs 2 guardians$/,
      );
      expect(result("veto W2 an hour before it executes")).to.match(
        /^vetoed \(Cancelled\); the next veto needs 3 guardians$/,
      );
      expect(result("veto W3"))
        .to.contain("refused: 2 guardian signatures, 3 needed")
        .and.to.contain("VetoThresholdNotMet(3, 2)");
      // The recovery to the attacker's keys is cancelled and never executes.
      expect(result("cancel the recovery (module, M signatures)")).to.equal("recovery cancelled");
      expect(result("execute the rogue recovery at its eta")).to.contain("RecoveryNotQueued");
      // Freezes: maxFreeze each, the next refused during the cooldown, one lifted by the signers.
      expect(result("freeze withdrawals")).to.match(/^withdrawals frozen for 3 d \(maxFreeze\)/);
      expect(result("freeze again")).to.contain("refused:").and.to.contain("FreezeCoolingDown");
      expect(result("the freeze ends by itself")).to.match(/^after 3 d;/);
      expect(result("lift the freeze (unfreeze)")).to.match(/^withdrawals open again after 1 h;/);
      // The council: the rogue keys can neither veto nor supersede it, and count for nothing after it.
      expect(result("veto the council change")).to.contain("NotVetoable");
      expect(result("guardians → gwen, new key 1, new key 2")).to.equal(
        "signed by alice, bob, carol, gwen (4 = C); queued, executable in 4 d",
      );
      expect(result("supersede it with their own council change")).to.contain("ThresholdNotMet(4, 2)");
      const guardians = result("execute the council change");
      expect(guardians.startsWith("guardians: ")).to.equal(true);
      expect(guardians.slice("guardians: ".length).split(", ").sort()).to.deep.equal([
        "gwen",
        "new key 1",
        "new key 2",
      ]);
      expect(result("veto W5 with their old keys")).to.contain("SignatureNotFromSigner");

      // Every routine withdrawal executed, late by no more than the analysis' bound.
      const executed = outcome.timeline.entries.filter(
        (e) => e.action === "execute" && e.result.startsWith("hot wallet received"),
      );
      expect(executed.map((e) => e.result)).to.deep.equal([
        "hot wallet received 100.0 ETH, 2 d later than first planned", // two vetoes: two extra withdrawal delays
        "hot wallet received 50.0 ETH, 2 d 1 h later than first planned", // a freeze left to run its maxFreeze
        "hot wallet received 100.0 ETH, on time", // after the council: the old keys count for nothing
      ]);
      expect(outcome.resumedAfter! <= verdict.bound!).to.equal(true);
    } finally {
      await connection.close();
    }
  });
});
