import { expect } from "chai";
import { network } from "hardhat";

import { assess } from "../../scripts/lib/index.js";
import { routineWithdrawal } from "../../scripts/scenarios/routine.js";

describe("Scenario 1 — routine withdrawal", function () {
  it("moves exactly the approved amount, no earlier than the withdrawal delay; the analysis says unaffected too", async function () {
    const connection = await network.create();
    try {
      const outcome = await routineWithdrawal(connection, () => {});
      expect(outcome.received).to.equal(outcome.amount);
      expect(outcome.waited >= outcome.timings.withdrawalDelay).to.equal(true);
      const early = outcome.timeline.entries.find((e) => e.action.includes("before eta"));
      expect(early?.result).to.match(/^refused: the timelock has not passed/);
      expect(outcome.observed).to.equal("unaffected");
      expect(assess(outcome.membership, outcome.timings, outcome.loss).outcome).to.equal(outcome.observed);
    } finally {
      await connection.close();
    }
  });
});
