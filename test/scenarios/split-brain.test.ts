import { expect } from "chai";
import { network } from "hardhat";

import { assess } from "../../scripts/lib/index.js";
import { splitBrain } from "../../scripts/scenarios/split-brain.js";

describe("Scenario 6 — split brain (stolen signer quorum against honest guardians)", function () {
  it("both sides cancel each other until the council replaces the signers; delayed as the analysis predicts, nothing stolen", async function () {
    const connection = await network.create();
    try {
      const outcome = await splitBrain(connection, () => {});
      const verdict = assess(outcome.membership, outcome.timings, outcome.loss);
      expect(outcome.loss).to.deep.equal({
        lostSigners: 0,
        compromisedSigners: 2,
        lostGuardians: 0,
        compromisedGuardians: 0,
      });
      expect(verdict.outcome).to.equal("delayed");
      expect(outcome.observed).to.equal(verdict.outcome);
      expect(outcome.stolen).to.equal(0n);

      const entries = outcome.timeline.entries;
      const result = (action: string) => {
        const entry = entries.find((e) => e.action === action);
        expect(entry, `no timeline entry "${action}"`).to.not.equal(undefined);
        return entry!.result;
      };
      // The attacker's drains wait the long delay and are vetoed, the requirement climbing to G = 3.
      expect(result("queue 1000 ETH → attacker")).to.equal("queued, executable in 3 d (long delay)");
      expect(result("veto the drain")).to.equal("vetoed (Cancelled); the next veto needs 2 guardian(s)");
      expect(entries.filter((e) => e.action === "veto it").map((e) => e.result)).to.deep.equal([
        "vetoed (Cancelled); the next veto needs 3 guardian(s)",
        "vetoed (Cancelled); the next veto needs 3 guardian(s)",
      ]);
      // The guardians' recovery is cancelled by the stolen quorum.
      expect(result("recovery: signers → carol, new key 1, 2")).to.equal("queued, executable in 3 d");
      expect(result("cancel the recovery with alice, bob")).to.equal("recovery cancelled: any signer quorum may");
      // The council change cannot be cancelled, in the vault or the module, nor superseded by 2 keys.
      expect(result("signers → carol, new key 1, new key 2")).to.equal(
        "signed by carol, gina, gus, gwen (4 = C); queued, executable in 4 d",
      );
      expect(result("cancel the council change (vault)")).to.contain("refused:").and.to.contain("NothingToCancel");
      expect(result("cancel it as a recovery (module)")).to.contain("refused:").and.to.contain("RecoveryNotQueued");
      expect(result("supersede it with its own council change")).to.contain("ThresholdNotMet(4, 2)");
      // It executes; the drain queued under the old signers dies with their epoch.
      expect(result("execute the council change")).to.match(/^signers: .* \(epoch 2\)$/);
      expect(
        result("execute the council change")
          .replace(/^signers: | \(epoch 2\)$/g, "")
          .split(", ")
          .sort(),
      ).to.deep.equal(["carol", "new key 1", "new key 2"]);
      expect(result("execute the last drain")).to.contain("EpochMismatch(1, 2)");
      // Withdrawals resume with the new signers at the normal delay.
      expect(result("queue 100 ETH → hot wallet")).to.equal("signed by carol, new key 1; queued, executable in 1 d");
      const resumed = entries.find((e) => e.action === "execute")!;
      expect(resumed.result).to.equal("hot wallet received 100.0 ETH");

      // Within the analysis' bound plus the honest keys' reaction time (loss → council queued).
      const lossAt = entries.find((e) => e.action.startsWith("KEYS STOLEN"))!.elapsed;
      const councilAt = entries.find((e) => e.action === "signers → carol, new key 1, new key 2")!.elapsed;
      expect(outcome.resumedAfter).to.equal(resumed.elapsed - lossAt);
      // (+ a minute: each transaction is mined a second after the one before)
      expect(outcome.resumedAfter! <= verdict.bound! + (councilAt - lossAt) + 60n).to.equal(true);
      expect(outcome.resumedAfter! >= verdict.bound!).to.equal(true);
    } finally {
      await connection.close();
    }
  });
});
