import { expect } from "chai";
import { network } from "hardhat";

import { routineWithdrawal } from "../../scripts/scenarios/routine.js";

describe("Scenario 1 — routine withdrawal", function () {
  it("moves exactly the approved amount, no earlier than the withdrawal delay", async function () {
    const connection = await network.create();
    try {
      const outcome = await routineWithdrawal(connection, () => {});
      expect(outcome.received).to.equal(outcome.amount);
      expect(outcome.waited >= outcome.withdrawalDelay).to.equal(true);
      const early = outcome.timeline.entries.find((e) => e.action.includes("before eta"));
      expect(early?.result).to.equal("refused: OperationNotReady");
    } finally {
      await connection.close();
    }
  });
});
