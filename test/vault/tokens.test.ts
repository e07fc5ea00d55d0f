/**
 * Assets the vault moves: non-standard ERC-20s (no return value, false return, reverting,
 * fee-on-transfer), a recipient that re-enters the vault, and plain ETH deposits.
 */
import { expect } from "chai";
import { network } from "hardhat";

import type {
  FalseReturnToken,
  FeeOnTransferToken,
  NoReturnToken,
  ReentrantReceiver,
  RevertingToken,
} from "../../types/ethers-contracts/index.js";
import {
  ETH,
  findFreeSlot,
  nextWithdrawal,
  OperationState,
  prefixOf,
  readOperation,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import { DAY, makeVaultFixture, signWithdrawal, type VaultContext } from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const deployVault = makeVaultFixture(ethers);

/** Every mock holds this much in the vault (6-decimals units). */
const VAULT_TOKEN_BALANCE = 1_000_000n * 10n ** 6n;
const AMOUNT = 1_000n * 10n ** 6n;

interface TokensContext extends VaultContext {
  noReturn: NoReturnToken;
  falseReturn: FalseReturnToken;
  reverting: RevertingToken;
  feeOnTransfer: FeeOnTransferToken;
  receiver: ReentrantReceiver;
}

async function deployVaultWithTokens(): Promise<TokensContext> {
  const ctx = await deployVault();
  const noReturn = await ethers.deployContract("NoReturnToken");
  const falseReturn = await ethers.deployContract("FalseReturnToken");
  const reverting = await ethers.deployContract("RevertingToken");
  const feeOnTransfer = await ethers.deployContract("FeeOnTransferToken");
  const receiver = await ethers.deployContract("ReentrantReceiver", [ctx.vaultAddress]);
  for (const token of [noReturn, falseReturn, reverting, feeOnTransfer]) {
    await token.mint(ctx.vaultAddress, VAULT_TOKEN_BALANCE);
  }
  return { ...ctx, noReturn, falseReturn, reverting, feeOnTransfer, receiver };
}

interface Queued {
  w: Withdrawal;
  id: string;
  slot: bigint;
  eta: bigint;
}

/** Queues a withdrawal signed by the first `threshold` signers in the lowest free slot. */
async function queue(ctx: VaultContext, fields: { asset: string; to: string; amount: bigint }): Promise<Queued> {
  const w = await nextWithdrawal(ctx.vault, fields);
  const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, ctx.threshold));
  const slot = await findFreeSlot(ctx.vault);
  const id = await ctx.vault.withdrawalId(w);
  await ctx.vault.queueWithdrawal(w, slot, signatures);
  return { w, id, slot, eta: (await readOperation(ctx.vault, id, slot)).eta };
}

/** Queues a withdrawal of `asset` to the first free outsider and waits until it is ready. */
async function queueReady(ctx: VaultContext, asset: string, amount = AMOUNT): Promise<Queued & { to: string }> {
  const to = ctx.outsiders[2]!.address;
  const queued = await queue(ctx, { asset, to, amount });
  await time.increaseTo(queued.eta);
  return { ...queued, to };
}

describe("ReserveVault", function () {
  describe("executeWithdrawal of non-standard tokens", function () {
    it("a USDT-style token that returns nothing is withdrawn through SafeERC20", async function () {
      const ctx = await loadFixture(deployVaultWithTokens);
      const asset = await ctx.noReturn.getAddress();
      const { w, id, slot, to } = await queueReady(ctx, asset);

      const tx = ctx.vault.executeWithdrawal(w, slot);
      await expect(tx).to.emit(ctx.vault, "WithdrawalExecuted").withArgs(id);
      await expect(tx).to.changeTokenBalances(ethers, ctx.noReturn, [ctx.vaultAddress, to], [-AMOUNT, AMOUNT]);
      expect(await ctx.vault.operationState(id, slot)).to.equal(OperationState.Executed);
    });

    it("nobody can execute a withdrawal when the token returns false, and it stays queued", async function () {
      const ctx = await loadFixture(deployVaultWithTokens);
      const asset = await ctx.falseReturn.getAddress();
      const { w, id, slot, eta } = await queueReady(ctx, asset);

      await expect(ctx.vault.executeWithdrawal(w, slot))
        .to.be.revertedWithCustomError(ctx.vault, "SafeERC20FailedOperation")
        .withArgs(asset);
      expect(await ctx.vault.operationState(id, slot)).to.equal(OperationState.Ready);
      const record = await ctx.vault.queueSlot(slot);
      expect([record.idPrefix, record.eta, record.free]).to.deep.equal([prefixOf(id), eta, false]);
      expect(await ctx.falseReturn.balanceOf(ctx.vaultAddress)).to.equal(VAULT_TOKEN_BALANCE);
    });

    it("a withdrawal that failed on a false-returning token executes once the token transfers again", async function () {
      const ctx = await loadFixture(deployVaultWithTokens);
      const asset = await ctx.falseReturn.getAddress();
      const { w, id, slot, to } = await queueReady(ctx, asset);
      await expect(ctx.vault.executeWithdrawal(w, slot)).to.be.revertedWithCustomError(
        ctx.vault,
        "SafeERC20FailedOperation",
      );

      await ctx.falseReturn.setFailing(false);
      await expect(ctx.vault.executeWithdrawal(w, slot)).to.changeTokenBalances(
        ethers,
        ctx.falseReturn,
        [ctx.vaultAddress, to],
        [-AMOUNT, AMOUNT],
      );
      expect(await ctx.vault.operationState(id, slot)).to.equal(OperationState.Executed);
    });

    it("nobody can execute a withdrawal when the token reverts, and it stays queued", async function () {
      const ctx = await loadFixture(deployVaultWithTokens);
      const asset = await ctx.reverting.getAddress();
      const { w, id, slot, eta } = await queueReady(ctx, asset);

      await expect(ctx.vault.executeWithdrawal(w, slot)).to.be.revertedWithCustomError(
        ctx.reverting,
        "TransfersBlocked",
      );
      expect(await ctx.vault.operationState(id, slot)).to.equal(OperationState.Ready);
      const record = await ctx.vault.queueSlot(slot);
      expect([record.idPrefix, record.eta, record.free]).to.deep.equal([prefixOf(id), eta, false]);
      expect(await ctx.reverting.balanceOf(ctx.vaultAddress)).to.equal(VAULT_TOKEN_BALANCE);
    });

    it("a fee-on-transfer withdrawal debits the vault the full amount, delivers amount minus fee and reports the amount", async function () {
      const ctx = await loadFixture(deployVaultWithTokens);
      const asset = await ctx.feeOnTransfer.getAddress();
      const { w, id, slot, to } = await queueReady(ctx, asset);
      const fee = await ctx.feeOnTransfer.feeOf(AMOUNT);
      expect(fee).to.equal(AMOUNT / 100n);

      const tx = ctx.vault.executeWithdrawal(w, slot);
      await expect(tx).to.emit(ctx.vault, "WithdrawalExecuted").withArgs(id);
      await expect(tx).to.changeTokenBalances(
        ethers,
        ctx.feeOnTransfer,
        [ctx.vaultAddress, to],
        [-AMOUNT, AMOUNT - fee],
      );
    });
  });

  describe("executeWithdrawal reentrancy", function () {
    it("a recipient cannot re-enter executeWithdrawal from receive(), and the other withdrawal stays queued", async function () {
      const ctx = await loadFixture(deployVaultWithTokens);
      const receiverAddress = await ctx.receiver.getAddress();
      const first = await queue(ctx, { asset: ETH, to: receiverAddress, amount: ethers.parseEther("1") });
      const second = await queue(ctx, { asset: ETH, to: ctx.outsiders[2]!.address, amount: ethers.parseEther("2") });
      await ctx.receiver.setCalls([
        ctx.vault.interface.encodeFunctionData("executeWithdrawal", [second.w, second.slot]),
      ]);
      await time.increaseTo(second.eta);

      await expect(ctx.vault.executeWithdrawal(first.w, first.slot)).to.changeEtherBalances(
        ethers,
        [ctx.vault, ctx.receiver],
        [-first.w.amount, first.w.amount],
      );
      const attempts = await ctx.receiver.attempts();
      expect(attempts.map((a) => a.reverted)).to.deep.equal([true]);
      expect(attempts[0]!.returnData).to.equal(ctx.vault.interface.encodeErrorResult("ReentrancyGuardReentrantCall"));
      expect(await ctx.vault.operationState(first.id, first.slot)).to.equal(OperationState.Executed);
      expect(await ctx.vault.operationState(second.id, second.slot)).to.equal(OperationState.Ready);
    });

    it("a recipient re-entering queueWithdrawal from receive() makes an ordinary queue: next nonce, full delay", async function () {
      // queueWithdrawal carries no reentrancy guard: a re-entrant call is an ordinary queue
      // (anyone may submit a quorum's signatures), and executeWithdrawal has finished all its
      // state changes before it sends ETH.
      const ctx = await loadFixture(deployVaultWithTokens);
      const receiverAddress = await ctx.receiver.getAddress();
      const first = await queue(ctx, { asset: ETH, to: receiverAddress, amount: ethers.parseEther("1") });
      await time.increaseTo(first.eta);
      const signed = await nextWithdrawal(ctx.vault, { asset: ETH, to: receiverAddress, amount: 1n });
      const slot = await findFreeSlot(ctx.vault, { taken: new Set([first.slot]) });
      const signatures = await signWithdrawal(ctx, signed, ctx.signers.slice(0, 2));
      await ctx.receiver.setCalls([
        ctx.vault.interface.encodeFunctionData("queueWithdrawal", [signed, slot, signatures]),
      ]);

      const executedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(executedAt);
      const tx = ctx.vault.executeWithdrawal(first.w, first.slot);
      await expect(tx)
        .to.emit(ctx.vault, "WithdrawalQueued")
        .withArgs(await ctx.vault.withdrawalId(signed), ETH, receiverAddress, 1n, signed.nonce, slot, executedAt + DAY);
      const attempts = await ctx.receiver.attempts();
      expect(attempts.map((a) => a.reverted)).to.deep.equal([false]);
      expect(await ctx.vault.withdrawalNonce(ETH)).to.equal(signed.nonce + 1);
    });
  });

  describe("receive", function () {
    it("anyone who sends ETH to the vault is recorded by a Deposited event", async function () {
      const ctx = await loadFixture(deployVaultWithTokens);
      const depositor = ctx.outsiders[3]!;
      const amount = ethers.parseEther("3");

      const tx = depositor.sendTransaction({ to: ctx.vaultAddress, value: amount });
      await expect(tx).to.emit(ctx.vault, "Deposited").withArgs(depositor.address, amount);
      await expect(tx).to.changeEtherBalance(ethers, ctx.vault, amount);
    });
  });
});
