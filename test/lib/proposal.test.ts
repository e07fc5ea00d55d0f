/**
 * Proposal files (scripts/lib/proposal.ts, propose.ts, amounts.ts): what every CLI command reads
 * and writes. A file is never trusted: its typed data is rebuilt from its fields, its digest must
 * match, and every signature must recover to a key of the quorum.
 */
import { expect } from "chai";
import { network } from "hardhat";

import {
  addSignature,
  cancellationProposal,
  configChangeProposal,
  ConfigAction,
  councilProposal,
  describeProposal,
  ETH,
  freezeProposal,
  mergeProposals,
  parseAmount,
  parseProposal,
  ProposalError,
  proposalDigest,
  proposalToJson,
  readAssetInfo,
  recoveryProposal,
  signTypedData,
  typedDataOf,
  unfreezeProposal,
  vetoProposal,
  withdrawalProposal,
  type Proposal,
} from "../../scripts/lib/index.js";
import { makeVaultFixture, type VaultContext } from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;
const deployVault = makeVaultFixture(ethers);

async function withdrawalFixture() {
  const ctx = await loadFixture(deployVault);
  const to = ctx.outsiders[1]!.address;
  const p = await withdrawalProposal(ctx.vault, { asset: ETH, to, amount: 10n ** 18n });
  return { ctx, p, to };
}

/** A proposal file's JSON, as far as these tests edit it. */
interface FileJson {
  format: string;
  operation: Record<string, unknown>;
  typedData: { primaryType: string; message: Record<string, unknown> };
  [key: string]: unknown;
}

/** The file's JSON after `edit`, as another machine would read it. */
function roundTrip(p: Proposal, edit: (json: FileJson) => void = () => {}): unknown {
  const json = JSON.parse(proposalToJson(p)) as FileJson;
  edit(json);
  return json;
}

async function signedBy(ctx: VaultContext, p: Proposal, count: number): Promise<Proposal> {
  let signed = p;
  for (const s of ctx.signers.slice(0, count)) signed = addSignature(signed, await signTypedData(s, typedDataOf(p)));
  return signed;
}

describe("proposal files (scripts/lib/proposal.ts)", function () {
  describe("building from chain state", function () {
    it("a withdrawal's digest is the id the vault computes, with the next nonce, the epoch, a free slot and the quoted delay", async function () {
      const { ctx, p } = await withdrawalFixture();
      const o = p.operation;
      if (o.kind !== "withdrawal") throw new Error("not a withdrawal");
      expect(proposalDigest(p)).to.equal(await ctx.vault.withdrawalId(o.withdrawal));
      expect(o.withdrawal.nonce).to.equal(Number(await ctx.vault.withdrawalNonce(ETH)));
      expect(p.slot).to.equal(0n);
      expect(p.quorum).to.deep.equal({ keys: ctx.signers.map((s) => s.address), threshold: ctx.threshold });
      const [delay] = await ctx.vault.delayFor(ETH, o.withdrawal.to, o.withdrawal.amount);
      expect(p.notes.delay!.seconds).to.equal(delay);
    });

    it("a configuration change's digest is the id the vault computes", async function () {
      const ctx = await loadFixture(deployVault);
      const p = await configChangeProposal(ctx.vault, { action: ConfigAction.SetThreshold, value: 3n });
      if (p.operation.kind !== "configChange") throw new Error("not a config change");
      expect(proposalDigest(p)).to.equal(await ctx.vault.configChangeId(p.operation.change));
    });

    it("cancellation, veto, recovery and council digests are the ids the contracts compute", async function () {
      const { ctx, p: target } = await withdrawalFixture();
      const id = proposalDigest(target);
      const cancel = await cancellationProposal(ctx.vault, id, 0n);
      expect(proposalDigest(cancel)).to.equal(await ctx.vault.cancellationId(id));
      const veto = await vetoProposal(ctx.vault, ctx.guardianModule, id, 0n);
      expect(veto.verifyingContract).to.equal(await ctx.guardianModule.getAddress());
      expect(veto.quorum.threshold).to.equal(Number((await ctx.guardianModule.vetoRequirement()).required));
      const recovery = await recoveryProposal(ctx.vault, ctx.guardianModule, [ctx.outsiders[2]!.address], 1n);
      if (recovery.operation.kind !== "recovery") throw new Error("not a recovery");
      expect(proposalDigest(recovery)).to.equal(await ctx.guardianModule.recoveryId(recovery.operation.recovery));
      const council = await councilProposal(ctx.vault, ctx.guardianModule, {
        signers: [ctx.outsiders[2]!.address],
        threshold: 1n,
        guardians: [],
        guardianThreshold: 0n,
        councilThreshold: 0n,
      });
      if (council.operation.kind !== "councilChange") throw new Error("not a council change");
      expect(proposalDigest(council)).to.equal(await ctx.guardianModule.councilChangeId(council.operation.change));
      expect(council.quorum.keys).to.have.length(ctx.signers.length + ctx.guardians.length);
    });

    it("freeze is signed by guardians; unfreeze by signers, and only after a freeze", async function () {
      const ctx = await loadFixture(deployVault);
      const freeze = await freezeProposal(ctx.vault, ctx.guardianModule);
      expect(freeze.quorum.keys).to.deep.equal(ctx.guardians.map((g) => g.address));
      try {
        await unfreezeProposal(ctx.vault, ctx.guardianModule);
        expect.fail("unfreeze before any freeze");
      } catch (error) {
        expect((error as Error).message).to.contain("never frozen");
      }
    });

    it("token metadata comes from the token; an address without code is not a token", async function () {
      const ctx = await loadFixture(deployVault);
      expect(await readAssetInfo(ethers.provider, ctx.tokenAddress)).to.deep.equal({ symbol: "mUSD", decimals: 6 });
      try {
        await readAssetInfo(ethers.provider, ctx.outsiders[1]!.address);
        expect.fail("an EOA is not a token");
      } catch (error) {
        expect((error as Error).message).to.contain("has no contract on this chain");
      }
    });
  });

  describe("reading a file", function () {
    it("a file round-trips: same digest, same signatures", async function () {
      const { ctx, p } = await withdrawalFixture();
      const signed = await signedBy(ctx, p, 2);
      const read = parseProposal(roundTrip(signed));
      expect(proposalDigest(read)).to.equal(proposalDigest(signed));
      expect(read.signatures).to.deep.equal(signed.signatures);
    });

    it("a tampered field is detected: the fields no longer hash to the recorded digest", async function () {
      const { p } = await withdrawalFixture();
      const edited = roundTrip(p, (j) => (j.operation.amount = "1000000000000000000000"));
      expect(() => parseProposal(edited, "w.json")).to.throw(ProposalError, "w.json was changed");
    });

    it("the file carries the eth_signTypedData_v4 payload of its fields; an edited payload is detected", async function () {
      const { p } = await withdrawalFixture();
      const json = roundTrip(p) as FileJson;
      expect(json.typedData.primaryType).to.equal("Withdrawal");
      const edited = roundTrip(p, (j) => (j.typedData.message.to = "0x000000000000000000000000000000000000dEaD"));
      expect(() => parseProposal(edited, "w.json")).to.throw(
        ProposalError,
        "its typedData is not the typed data of its fields",
      );
    });

    it("a tampered file with a recomputed digest is detected by its signatures", async function () {
      const { ctx, p } = await withdrawalFixture();
      const signed = await signedBy(ctx, p, 1);
      if (signed.operation.kind !== "withdrawal") throw new Error("not a withdrawal");
      const other: Proposal = {
        ...signed,
        operation: { kind: "withdrawal", withdrawal: { ...signed.operation.withdrawal, amount: 5n } },
      };
      const edited = roundTrip(other); // digest recomputed for the new amount; the old signature kept
      expect(() => parseProposal(edited)).to.throw(ProposalError, "recovers to");
    });

    it("a file for another format, or missing fields, says what is wrong", async function () {
      const { p } = await withdrawalFixture();
      expect(() =>
        parseProposal(
          roundTrip(p, (j) => (j.format = "x")),
          "f.json",
        ),
      ).to.throw(ProposalError, "f.json is not a proposal file");
      expect(() => parseProposal(roundTrip(p, (j) => delete j.operation.to))).to.throw(ProposalError, "operation.to");
      expect(() => parseProposal(roundTrip(p, (j) => (j.operation.to = "0x123")))).to.throw(
        ProposalError,
        "is not an address",
      );
    });
  });

  describe("signatures", function () {
    it("a key outside the quorum cannot sign", async function () {
      const { ctx, p } = await withdrawalFixture();
      const stranger = ctx.outsiders[2]!;
      expect(() => addSignature(p, { signer: stranger.address, signature: "0x" + "11".repeat(65) })).to.throw(
        ProposalError,
      );
      const real = await signTypedData(stranger, typedDataOf(p));
      expect(() => addSignature(p, real)).to.throw(ProposalError, "is not one of the signers");
    });

    it("each key signs once", async function () {
      const { ctx, p } = await withdrawalFixture();
      const once = await signedBy(ctx, p, 1);
      const again = await signTypedData(ctx.signers[0]!, typedDataOf(p));
      expect(() => addSignature(once, again)).to.throw(ProposalError, "has already signed");
    });

    it("merging copies signed by different keys keeps every signature once, sorted", async function () {
      const { ctx, p } = await withdrawalFixture();
      const a = addSignature(p, await signTypedData(ctx.signers[1]!, typedDataOf(p)));
      const b = addSignature(p, await signTypedData(ctx.signers[0]!, typedDataOf(p)));
      const merged = mergeProposals([a, b, a]);
      expect(merged.signatures.map((s) => s.signer)).to.deep.equal([ctx.signers[0]!.address, ctx.signers[1]!.address]);
    });

    it("merging two different operations is refused", async function () {
      const { ctx, p } = await withdrawalFixture();
      const other = await withdrawalProposal(ctx.vault, { asset: ETH, to: ctx.outsiders[1]!.address, amount: 2n });
      expect(() => mergeProposals([p, other])).to.throw(ProposalError, "different operation");
    });
  });

  describe("what a signer reads", function () {
    it("an ETH withdrawal shows ether and wei, destination, delay, chain, vault and digest", async function () {
      const { ctx, p, to } = await withdrawalFixture();
      const rows = new Map(describeProposal(p).map(([k, v]) => [k, v]));
      expect(rows.get("amount")).to.equal("1.0 ETH (1000000000000000000 base units)");
      expect(rows.get("to")).to.equal(to);
      expect(rows.get("chain")).to.equal("31337 (Hardhat local chain)");
      expect(rows.get("vault")).to.equal(ctx.vaultAddress);
      expect(rows.get("EIP-712 digest")).to.equal(proposalDigest(p));
      expect(rows.get("delay")).to.match(/^86400 s \(1 day\)/);
    });

    it("a token withdrawal says its symbol and decimals are the proposer's note, not signed", async function () {
      const ctx = await loadFixture(deployVault);
      const info = await readAssetInfo(ethers.provider, ctx.tokenAddress);
      const p = await withdrawalProposal(
        ctx.vault,
        { asset: ctx.tokenAddress, to: ctx.outsiders[1]!.address, amount: 2_500_000n },
        { asset: info },
      );
      const rows = new Map(describeProposal(p).map(([k, v]) => [k, v]));
      expect(rows.get("amount")).to.equal(
        "2.5 mUSD (2500000 base units); symbol and decimals as noted by the proposer (not signed: the base units are)",
      );
    });
  });
});

describe("amounts (scripts/lib/amounts.ts)", function () {
  const ETH_INFO = { symbol: "ETH", decimals: 18 };
  const USDC = { symbol: "USDC", decimals: 6 };

  it("units are scaled by the asset's decimals", function () {
    expect(parseAmount("1.5", ETH_INFO)).to.equal(15n * 10n ** 17n);
    expect(parseAmount("250", USDC)).to.equal(250_000_000n);
    expect(parseAmount("0.000001", USDC)).to.equal(1n);
  });

  it("more decimals than the asset has is an error naming the smallest amount", function () {
    expect(() => parseAmount("0.0000001", USDC)).to.throw(
      "has 7 decimals but USDC has 6: the smallest amount is 0.000001 USDC",
    );
  });

  it("zero, negative, exponent and garbage are errors", function () {
    expect(() => parseAmount("0", USDC)).to.throw("is zero");
    expect(() => parseAmount("-1", USDC)).to.throw("is not a decimal number");
    expect(() => parseAmount("1e6", USDC)).to.throw("is not a decimal number");
    expect(() => parseAmount("abc", USDC)).to.throw("is not a decimal number");
  });
});
