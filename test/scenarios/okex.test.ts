import { expect } from "chai";
import { network } from "hardhat";

import { assess } from "../../scripts/lib/index.js";
import { okexDetainedSigner } from "../../scripts/scenarios/okex.js";

describe("Scenario 2 — OKEx: a signer is detained mid-operation", function () {
  it("withdrawals never stop: the operation under way executes after its normal delay with another signer, and the key is replaced", async function () {
    const connection = await network.create();
    try {
      const outcome = await okexDetainedSigner(connection, () => {});
      expect(outcome.observed).to.equal("unaffected");
      expect(assess(outcome.membership, outcome.timings, outcome.loss).outcome).to.equal("unaffected");
      expect(outcome.stolen).to.equal(0n);
      // The withdrawal under way waited its normal delay (plus the seconds of the blocks in between), no more.
      expect(outcome.resumedAfter! >= outcome.timings.withdrawalDelay).to.equal(true);
      expect(outcome.resumedAfter! <= outcome.timings.withdrawalDelay + 60n).to.equal(true);
      const results = outcome.timeline.entries.map((e) => e.result);
      expect(results).to.include("hot wallet received 100.0 ETH");
      expect(results.some((r) => r.startsWith("signers: alice, bob, new key 1"))).to.equal(true);
      expect(results.at(-1)).to.equal("executed");
    } finally {
      await connection.close();
    }
  });
});
