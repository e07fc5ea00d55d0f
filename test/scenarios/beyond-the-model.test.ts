import { expect } from "chai";
import { network } from "hardhat";

import { assess } from "../../scripts/lib/index.js";
import { beyondCouncilTheft, beyondFrozen, beyondTheModel } from "../../scripts/scenarios/beyond-the-model.js";

describe("Scenario 7 — beyond the model", function () {
  it("exports both parts", function () {
    expect(beyondTheModel).to.deep.equal([beyondFrozen, beyondCouncilTheft]);
  });

  it("(a) two signers and two guardians lost in a 2-of-3 / 2-of-3 vault: every attempt refused, frozen for good, as predicted", async function () {
    const connection = await network.create();
    try {
      const outcome = await beyondFrozen(connection, () => {});
      const verdict = assess(outcome.membership, outcome.timings, outcome.loss);
      expect(outcome.membership.councilThreshold).to.equal(4);
      expect(outcome.loss).to.deep.equal({
        lostSigners: 2,
        compromisedSigners: 0,
        lostGuardians: 2,
        compromisedGuardians: 0,
      });
      expect(verdict.outcome).to.equal("frozen");
      expect(outcome.observed).to.equal(verdict.outcome);
      expect(outcome.stolen).to.equal(0n);
      expect(outcome.resumedAfter).to.equal(undefined);

      const result = (action: string) => outcome.timeline.entries.find((e) => e.action === action)?.result;
      expect(result("queue 100 ETH → hot wallet, alone")).to.contain("refused: 1 valid approvals, 2 needed");
      expect(result("replaceSigner(alice → new key 1), alone")).to.contain("refused: 1 valid approvals, 2 needed");
      expect(result("recovery: signers → carol, new key 1, 2")).to.contain("refused: 1 valid approvals, 2 needed");
      expect(result("council: replace every lost key")).to.contain("refused: 2 valid approvals, 4 needed");
      expect(result("the council change again")).to.contain("refused: 2 valid approvals, 4 needed");
      expect(result("three months later")).to.match(/^1000\.0 ETH still in the vault/);
    } finally {
      await connection.close();
    }
  });

  it("(b) an attacker holding C = 4 keys: its council change cannot be stopped and it drains the vault, as predicted", async function () {
    const connection = await network.create();
    try {
      const outcome = await beyondCouncilTheft(connection, () => {});
      const verdict = assess(outcome.membership, outcome.timings, outcome.loss);
      expect(outcome.loss).to.deep.equal({
        lostSigners: 0,
        compromisedSigners: 2,
        lostGuardians: 0,
        compromisedGuardians: 2,
      });
      expect(verdict.outcome).to.equal("at-risk");
      expect(verdict.path).to.equal("attacker council");
      expect(outcome.observed).to.equal(verdict.outcome);
      expect(outcome.stolen).to.equal(connection.ethers.parseEther("1000"));

      const result = (action: string) => outcome.timeline.entries.find((e) => e.action === action)?.result;
      expect(result("council: signers → attacker; drop gwen")).to.equal(
        "signed by its 4 keys; queued, executable in 4 d (M 1; guardians gina, gus, K 1; C 2)",
      );
      expect(result("cancel it (vault cancellation)")).to.contain("refused:");
      expect(result("cancel it as a recovery (module)")).to.contain("refused:").and.to.contain("RecoveryNotQueued");
      expect(result("veto it")).to.contain("refused:").and.to.contain("NotVetoable");
      expect(result("freeze withdrawals")).to.contain("refused: 1 valid approvals, 2 needed");
      expect(result("supersede it with their own council change")).to.contain("refused: 2 valid approvals, 4 needed");
      expect(result("execute the council change")).to.match(/^signers: attacker; guardians: (gina, gus|gus, gina)$/);
      expect(result("queue everything → attacker")).to.equal("queued, executable in 3 d");
      expect(result("veto the drain")).to.contain("refused:").and.to.contain("SignatureNotFromSigner");
      expect(result("execute the drain")).to.equal(
        "1000.0 ETH left the vault (balance now 0.0); the attacker received 1000.0 ETH",
      );
    } finally {
      await connection.close();
    }
  });
});
