/**
 * Configuration changes: every ConfigAction through both approval paths, every validation rule,
 * constructor validation, epoch invalidation, and how delay changes interact with queued operations.
 */
import { anyUint } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { Wallet, ZeroAddress, type ContractTransactionResponse } from "ethers";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import type { ReserveVault } from "../../types/ethers-contracts/index.js";
import {
  DEFAULT_POLICY,
  DEFAULT_TIMINGS,
  compareAddresses,
  ConfigAction,
  configChange,
  configChangeTypedData,
  ETH,
  deployReserveVault,
  findFreeSlot,
  initialConfig,
  nextConfigChange,
  nextWithdrawal,
  OperationState,
  packSignatures,
  prefixOf,
  readConfiguration,
  readDomain,
  readOperation,
  signTypedData,
  TIMING_KEYS,
  type ConfigChange,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import {
  DAY,
  DEFAULT_DELAYS,
  HOUR,
  LOOSE_GUARDIAN_TIMINGS,
  makeVaultFixture,
  signConfigChange,
  signWithdrawal,
  type VaultContext,
} from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

/**
 * 2-of-3, withdrawal delay 1 day, config delay 2 days, window 7 days; five guardians (threshold 2),
 * so that every signer threshold up to N has a valid council threshold (C <= N + G - max(M, K)).
 */
const deployVault = makeVaultFixture(ethers, { guardianCount: 5 });
const deploySingleSignerVault = makeVaultFixture(ethers, { signerCount: 1, threshold: 1, guardianCount: 5 });

const MAX_SIGNERS = 32;
const MIN_DELAY = HOUR;
const MAX_DELAY = 30n * DAY;
const MIN_EXECUTION_WINDOW = HOUR;
const MAX_EXECUTION_WINDOW = 30n * DAY;

/** A vault with the maximum of 32 signers, held as local wallets so they can sign. */
async function deployFullVault() {
  const wallets = Array.from(
    { length: MAX_SIGNERS },
    (_, i) => new Wallet(ethers.id(`reserve-vault signer ${i}`)),
  ).sort((a, b) => compareAddresses(a.address, b.address));
  const guardians = [1, 2, 3].map((i) => new Wallet(ethers.id(`reserve-vault guardian ${i}`)).address);
  const { vault } = await deployReserveVault(
    ethers,
    initialConfig({
      signers: wallets.map((w) => w.address),
      threshold: 2,
      guardians,
      guardianThreshold: 2,
      ...DEFAULT_DELAYS,
      ...LOOSE_GUARDIAN_TIMINGS,
    }),
  );
  return { vault, domain: await readDomain(vault), wallets };
}

type ChangeFields = Omit<Parameters<typeof configChange>[0], "nonce" | "epoch">;

interface QueuedChange {
  c: ConfigChange;
  id: string;
  slot: bigint;
  eta: bigint;
}

/** Queues a change for the current epoch and nonce with the quorum's signatures. */
async function queueBySignatures(
  ctx: VaultContext,
  fields: ChangeFields,
  signers: readonly HardhatEthersSigner[] = ctx.signers.slice(0, ctx.threshold),
  taken: ReadonlySet<bigint> = new Set(),
): Promise<QueuedChange> {
  const c = await nextConfigChange(ctx.vault, fields);
  const slot = await findFreeSlot(ctx.vault, { taken });
  await ctx.vault.queueConfigChange(c, slot, await signConfigChange(ctx, c, signers));
  return withEta(ctx.vault, c, slot);
}

/** Queues a change for the current epoch and nonce by an on-chain proposal and approvals. */
async function queueByApprovals(ctx: VaultContext, fields: ChangeFields): Promise<QueuedChange> {
  const c = await nextConfigChange(ctx.vault, fields);
  const slot = await findFreeSlot(ctx.vault);
  const [proposer, ...approvers] = ctx.signers.slice(0, ctx.threshold);
  await ctx.vault.connect(proposer!).proposeConfigChange(c);
  for (const approver of approvers) await ctx.vault.connect(approver).approveConfigChange(c, slot);
  return withEta(ctx.vault, c, slot);
}

async function withEta(vault: ReserveVault, c: ConfigChange, slot: bigint): Promise<QueuedChange> {
  const id = await vault.configChangeId(c);
  const { eta, state } = await readOperation(vault, id, slot);
  expect(state).to.equal(OperationState.Queued);
  return { c, id, slot, eta };
}

/** Submits `fields` as the next change with the quorum's signatures (to test its rejection). */
async function submitBySignatures(ctx: VaultContext, fields: ChangeFields): Promise<ContractTransactionResponse> {
  const c = await nextConfigChange(ctx.vault, fields);
  return ctx.vault.queueConfigChange(c, 0n, await signConfigChange(ctx, c, ctx.signers.slice(0, ctx.threshold)));
}

/** Queues a change and executes it at its eta. */
async function applyChange(
  ctx: VaultContext,
  fields: ChangeFields,
  signers?: readonly HardhatEthersSigner[],
): Promise<QueuedChange> {
  const queued = await queueBySignatures(ctx, fields, signers);
  await time.increaseTo(queued.eta);
  await ctx.vault.executeConfigChange(queued.c, queued.slot);
  return queued;
}

async function queueEthWithdrawal(ctx: VaultContext, amount: bigint, taken: ReadonlySet<bigint> = new Set()) {
  const w: Withdrawal = await nextWithdrawal(ctx.vault, { asset: ETH, to: ctx.outsiders[1]!.address, amount });
  const slot = await findFreeSlot(ctx.vault, { taken });
  await ctx.vault.queueWithdrawal(w, slot, await signWithdrawal(ctx, w, ctx.signers.slice(0, ctx.threshold)));
  const id = await ctx.vault.withdrawalId(w);
  return { w, id, slot, eta: (await readOperation(ctx.vault, id, slot)).eta };
}

/** Fixes the next block's timestamp (a few seconds ahead) and returns it. */
async function pinNextBlockTime(): Promise<bigint> {
  const next = BigInt(await time.latest()) + 10n;
  await time.setNextBlockTimestamp(next);
  return next;
}

function sorted(addresses: readonly string[]): string[] {
  return [...addresses].sort(compareAddresses);
}

async function expectInvariant(vault: ReserveVault): Promise<void> {
  const config = await readConfiguration(vault);
  expect(config.threshold).to.be.at.least(1);
  expect(config.threshold).to.be.at.most(config.signers.length);
  expect(config.signers).to.deep.equal(sorted(config.signers));
  expect((await vault.configuration()).signerCount).to.equal(BigInt(config.signers.length));
  const module = await ethers.getContractAt("GuardianModule", await vault.GUARDIANS());
  const [, g, k, council] = await module.guardianCounts();
  const n = BigInt(config.signers.length);
  expect(2n * council > n + g, "2C > N + G").to.equal(true);
  expect(council > BigInt(config.threshold) && council > k, "C > max(M, K)").to.equal(true);
  const quorum = BigInt(config.threshold) > k ? BigInt(config.threshold) : k;
  expect(council <= n + g - quorum, "C <= N + G - max(M, K)").to.equal(true);
}

/** One executable change per ConfigAction, with what its execution must emit and leave behind. */
interface ActionCase {
  action: ConfigAction;
  fields: (ctx: VaultContext) => ChangeFields;
  expectEvents: (tx: Promise<ContractTransactionResponse>, ctx: VaultContext) => Promise<void>;
  expectState: (ctx: VaultContext) => Promise<void>;
}

const ACTION_CASES: ActionCase[] = [
  {
    action: ConfigAction.AddSigner,
    fields: (ctx) => ({ action: ConfigAction.AddSigner, account: ctx.outsiders[1]!.address, value: 3n }),
    async expectEvents(tx, ctx) {
      await expect(tx).to.emit(ctx.vault, "SignerAdded").withArgs(ctx.outsiders[1]!.address);
      await expect(tx).to.emit(ctx.vault, "ThresholdChanged").withArgs(2n, 3n);
      await expect(tx).to.emit(ctx.vault, "EpochAdvanced").withArgs(1n, 2n);
    },
    async expectState(ctx) {
      const config = await readConfiguration(ctx.vault);
      expect(config.signers).to.deep.equal(sorted([...ctx.signers.map((s) => s.address), ctx.outsiders[1]!.address]));
      expect([config.threshold, config.epoch]).to.deep.equal([3, 2]);
    },
  },
  {
    action: ConfigAction.RemoveSigner,
    fields: (ctx) => ({ action: ConfigAction.RemoveSigner, account: ctx.signers[1]!.address, value: 1n }),
    async expectEvents(tx, ctx) {
      await expect(tx).to.emit(ctx.vault, "SignerRemoved").withArgs(ctx.signers[1]!.address);
      await expect(tx).to.emit(ctx.vault, "ThresholdChanged").withArgs(2n, 1n);
      await expect(tx).to.emit(ctx.vault, "EpochAdvanced").withArgs(1n, 2n);
    },
    async expectState(ctx) {
      const config = await readConfiguration(ctx.vault);
      expect(config.signers).to.deep.equal([ctx.signers[0]!.address, ctx.signers[2]!.address]);
      expect([config.threshold, config.epoch]).to.deep.equal([1, 2]);
      expect(await ctx.vault.isSigner(ctx.signers[1]!.address)).to.equal(false);
    },
  },
  {
    action: ConfigAction.ReplaceSigner,
    fields: (ctx) => ({
      action: ConfigAction.ReplaceSigner,
      account: ctx.signers[0]!.address,
      replacement: ctx.outsiders[1]!.address,
    }),
    async expectEvents(tx, ctx) {
      await expect(tx).to.emit(ctx.vault, "SignerRemoved").withArgs(ctx.signers[0]!.address);
      await expect(tx).to.emit(ctx.vault, "SignerAdded").withArgs(ctx.outsiders[1]!.address);
      await expect(tx).to.emit(ctx.vault, "EpochAdvanced").withArgs(1n, 2n);
      await expect(tx).not.to.emit(ctx.vault, "ThresholdChanged");
    },
    async expectState(ctx) {
      const config = await readConfiguration(ctx.vault);
      expect(config.signers).to.deep.equal(
        sorted([ctx.outsiders[1]!.address, ctx.signers[1]!.address, ctx.signers[2]!.address]),
      );
      expect([config.threshold, config.epoch]).to.deep.equal([2, 2]);
    },
  },
  {
    action: ConfigAction.SetThreshold,
    fields: () => ({ action: ConfigAction.SetThreshold, value: 3n }),
    async expectEvents(tx, ctx) {
      await expect(tx).to.emit(ctx.vault, "ThresholdChanged").withArgs(2n, 3n);
      await expect(tx).to.emit(ctx.vault, "EpochAdvanced").withArgs(1n, 2n);
      await expect(tx).not.to.emit(ctx.vault, "SignerAdded");
    },
    async expectState(ctx) {
      const config = await readConfiguration(ctx.vault);
      expect(config.signers).to.deep.equal(ctx.signers.map((s) => s.address));
      expect([config.threshold, config.epoch]).to.deep.equal([3, 2]);
    },
  },
  {
    action: ConfigAction.SetWithdrawalDelay,
    fields: () => ({ action: ConfigAction.SetWithdrawalDelay, value: 2n * HOUR }),
    async expectEvents(tx, ctx) {
      await expect(tx)
        .to.emit(ctx.vault, "DelayChanged")
        .withArgs(ConfigAction.SetWithdrawalDelay, DEFAULT_DELAYS.withdrawalDelay, 2n * HOUR);
      await expect(tx).not.to.emit(ctx.vault, "EpochAdvanced");
    },
    async expectState(ctx) {
      const config = await readConfiguration(ctx.vault);
      expect([config.withdrawalDelay, config.epoch]).to.deep.equal([2n * HOUR, 1]);
    },
  },
  {
    action: ConfigAction.SetConfigDelay,
    fields: () => ({ action: ConfigAction.SetConfigDelay, value: 3n * DAY }),
    async expectEvents(tx, ctx) {
      await expect(tx)
        .to.emit(ctx.vault, "DelayChanged")
        .withArgs(ConfigAction.SetConfigDelay, DEFAULT_DELAYS.configDelay, 3n * DAY);
      await expect(tx).not.to.emit(ctx.vault, "EpochAdvanced");
    },
    async expectState(ctx) {
      const config = await readConfiguration(ctx.vault);
      expect([config.configDelay, config.epoch]).to.deep.equal([3n * DAY, 1]);
    },
  },
  {
    action: ConfigAction.SetExecutionWindow,
    fields: () => ({ action: ConfigAction.SetExecutionWindow, value: DAY }),
    async expectEvents(tx, ctx) {
      await expect(tx)
        .to.emit(ctx.vault, "DelayChanged")
        .withArgs(ConfigAction.SetExecutionWindow, DEFAULT_DELAYS.executionWindow, DAY);
      await expect(tx).not.to.emit(ctx.vault, "EpochAdvanced");
    },
    async expectState(ctx) {
      const config = await readConfiguration(ctx.vault);
      expect([config.executionWindow, config.epoch]).to.deep.equal([DAY, 1]);
    },
  },
];

const QUEUE_PATHS = [
  { name: "the quorum's signatures", queue: queueBySignatures },
  { name: "on-chain approvals", queue: queueByApprovals },
] as const;

function actionName(action: ConfigAction): string {
  return ConfigAction[action];
}

/** "an AddSigner", "a SetThreshold". */
function withArticle(action: ConfigAction): string {
  const name = actionName(action);
  return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
}

function asTuple(c: ConfigChange) {
  return [c.action, c.account, c.replacement, c.value, c.nonce, c.epoch];
}

describe("ReserveVault", function () {
  describe("queueConfigChange", function () {
    it("a quorum's signatures queue a change with eta = now + configDelay and take the next config nonce", async function () {
      const ctx = await loadFixture(deployVault);
      const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetThreshold, value: 3n });
      const signatures = await signConfigChange(ctx, c, ctx.signers.slice(0, 2));
      const queuedAt = await pinNextBlockTime();

      await expect(ctx.vault.connect(ctx.outsiders[1]!).queueConfigChange(c, 0n, signatures))
        .to.emit(ctx.vault, "ConfigChangeQueued")
        .withArgs(await ctx.vault.configChangeId(c), asTuple(c), 0n, queuedAt + DEFAULT_DELAYS.configDelay);
      expect((await readConfiguration(ctx.vault)).configNonce).to.equal(1);
    });

    it("one signature adds to the proposer's on-chain approval to queue a change, and the proposal is then no longer pending", async function () {
      const ctx = await loadFixture(deployVault);
      const [alice, bob] = ctx.signers;
      const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetThreshold, value: 3n });
      const id = await ctx.vault.configChangeId(c);
      await ctx.vault.connect(alice!).proposeConfigChange(c);
      const queuedAt = await pinNextBlockTime();

      await expect(
        ctx.vault.connect(ctx.outsiders[1]!).queueConfigChange(c, 0n, await signConfigChange(ctx, c, [bob!])),
      )
        .to.emit(ctx.vault, "ConfigChangeQueued")
        .withArgs(id, asTuple(c), 0n, queuedAt + DEFAULT_DELAYS.configDelay);
      await expect(ctx.vault.connect(alice!).revokeProposal(id))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(id);
    });
  });

  describe("approveConfigChange", function () {
    it("the approval that reaches the threshold queues a proposed change", async function () {
      const ctx = await loadFixture(deployVault);
      const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetThreshold, value: 3n });
      const id = await ctx.vault.configChangeId(c);
      await expect(ctx.vault.connect(ctx.signers[2]!).proposeConfigChange(c))
        .to.emit(ctx.vault, "ConfigChangeProposed")
        .withArgs(id, ctx.signers[2]!.address, asTuple(c));
      const queuedAt = await pinNextBlockTime();

      const tx = ctx.vault.connect(ctx.signers[0]!).approveConfigChange(c, 5n);
      await expect(tx).to.emit(ctx.vault, "OperationApproved").withArgs(id, ctx.signers[0]!.address, 2n);
      await expect(tx)
        .to.emit(ctx.vault, "ConfigChangeQueued")
        .withArgs(id, asTuple(c), 5n, queuedAt + DEFAULT_DELAYS.configDelay);
    });
  });

  describe("executeConfigChange", function () {
    for (const path of QUEUE_PATHS) {
      for (const testCase of ACTION_CASES) {
        const name = withArticle(testCase.action);

        it(`anyone can execute ${name} change queued by ${path.name} at its eta, with its events`, async function () {
          const ctx = await loadFixture(deployVault);
          const { c, id, slot, eta } = await path.queue(ctx, testCase.fields(ctx));
          await time.setNextBlockTimestamp(eta);

          const tx = ctx.vault.connect(ctx.outsiders[2]!).executeConfigChange(c, slot);
          await expect(tx).to.emit(ctx.vault, "ConfigChangeExecuted").withArgs(id, testCase.action);
          await testCase.expectEvents(tx, ctx);
          await testCase.expectState(ctx);
          expect(await ctx.vault.operationState(id, slot)).to.equal(OperationState.Executed);
        });

        it(`nobody can execute ${name} change queued by ${path.name} when its eta is 1 s away`, async function () {
          const ctx = await loadFixture(deployVault);
          const { c, id, slot, eta } = await path.queue(ctx, testCase.fields(ctx));
          await time.setNextBlockTimestamp(eta - 1n);

          await expect(ctx.vault.executeConfigChange(c, slot))
            .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
            .withArgs(id, eta, eta - 1n);
        });
      }
    }

    it("anyone can execute a change in the last second of its execution window", async function () {
      const ctx = await loadFixture(deployVault);
      const { c, id, slot, eta } = await queueBySignatures(ctx, { action: ConfigAction.SetThreshold, value: 1n });
      await time.setNextBlockTimestamp(eta + DEFAULT_DELAYS.executionWindow);

      await expect(ctx.vault.executeConfigChange(c, slot))
        .to.emit(ctx.vault, "ConfigChangeExecuted")
        .withArgs(id, ConfigAction.SetThreshold);
    });

    it("nobody can execute a change when its execution window has passed", async function () {
      const ctx = await loadFixture(deployVault);
      const { c, id, slot, eta } = await queueBySignatures(ctx, { action: ConfigAction.SetThreshold, value: 1n });
      const deadline = eta + DEFAULT_DELAYS.executionWindow;
      await time.setNextBlockTimestamp(deadline + 1n);

      await expect(ctx.vault.executeConfigChange(c, slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationExpired")
        .withArgs(id, deadline, deadline + 1n);
    });

    it("signers() stays sorted ascending when signers join and leave at the front, middle and end", async function () {
      const ctx = await loadFixture(deployVault);
      const [s0, s1, s2] = ctx.signers.map((s) => s.address) as [string, string, string];
      const lowest = "0x0000000000000000000000000000000000000001";
      const highest = "0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF";
      const middle = ctx.outsiders
        .map((o) => o.address)
        .find((a) => compareAddresses(a, s0) > 0 && compareAddresses(a, s2) < 0)!;
      const steps: Array<[ChangeFields, string[]]> = [
        [{ action: ConfigAction.AddSigner, account: lowest, value: 2n }, [lowest, s0, s1, s2]],
        [{ action: ConfigAction.AddSigner, account: highest, value: 2n }, [lowest, s0, s1, s2, highest]],
        [{ action: ConfigAction.AddSigner, account: middle, value: 2n }, sorted([lowest, s0, s1, s2, highest, middle])],
        [{ action: ConfigAction.RemoveSigner, account: lowest, value: 2n }, sorted([s0, s1, s2, highest, middle])],
        [{ action: ConfigAction.RemoveSigner, account: highest, value: 2n }, sorted([s0, s1, s2, middle])],
        [{ action: ConfigAction.ReplaceSigner, account: s1, replacement: highest }, sorted([s0, s2, middle, highest])],
        [
          { action: ConfigAction.ReplaceSigner, account: highest, replacement: lowest },
          sorted([lowest, s0, s2, middle]),
        ],
      ];
      for (const [fields, expected] of steps) {
        await applyChange(ctx, fields, [ctx.signers[0]!, ctx.signers[2]!]);
        expect(await ctx.vault.signers()).to.deep.equal(expected);
      }
    });
  });

  describe("configuration change validation", function () {
    it("a quorum cannot add the zero address as a signer", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(
        submitBySignatures(ctx, { action: ConfigAction.AddSigner, account: ZeroAddress, value: 2n }),
      ).to.be.revertedWithCustomError(ctx.vault, "SignerIsZeroAddress");
    });

    it("a quorum cannot replace a signer with the zero address", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(
        submitBySignatures(ctx, {
          action: ConfigAction.ReplaceSigner,
          account: ctx.signers[0]!.address,
          replacement: ZeroAddress,
        }),
      ).to.be.revertedWithCustomError(ctx.vault, "SignerIsZeroAddress");
    });

    it("a quorum cannot add a signer who is already a member", async function () {
      const ctx = await loadFixture(deployVault);
      const member = ctx.signers[1]!.address;
      await expect(submitBySignatures(ctx, { action: ConfigAction.AddSigner, account: member, value: 2n }))
        .to.be.revertedWithCustomError(ctx.vault, "SignerAlreadyMember")
        .withArgs(member);
    });

    it("a quorum cannot replace a signer with another member", async function () {
      const ctx = await loadFixture(deployVault);
      const member = ctx.signers[2]!.address;
      await expect(
        submitBySignatures(ctx, {
          action: ConfigAction.ReplaceSigner,
          account: ctx.signers[0]!.address,
          replacement: member,
        }),
      )
        .to.be.revertedWithCustomError(ctx.vault, "SignerAlreadyMember")
        .withArgs(member);
    });

    it("a quorum cannot remove an account that is not a signer", async function () {
      const ctx = await loadFixture(deployVault);
      const outsider = ctx.outsiders[1]!.address;
      await expect(submitBySignatures(ctx, { action: ConfigAction.RemoveSigner, account: outsider, value: 2n }))
        .to.be.revertedWithCustomError(ctx.vault, "SignerNotMember")
        .withArgs(outsider);
    });

    it("a quorum cannot replace an account that is not a signer", async function () {
      const ctx = await loadFixture(deployVault);
      const outsider = ctx.outsiders[1]!.address;
      await expect(
        submitBySignatures(ctx, {
          action: ConfigAction.ReplaceSigner,
          account: outsider,
          replacement: ctx.outsiders[2]!.address,
        }),
      )
        .to.be.revertedWithCustomError(ctx.vault, "SignerNotMember")
        .withArgs(outsider);
    });

    const thresholdCases: Array<{ when: string; fields: (ctx: VaultContext) => ChangeFields; args: [bigint, bigint] }> =
      [
        {
          when: "it sets the threshold to 0",
          fields: () => ({ action: ConfigAction.SetThreshold, value: 0n }),
          args: [0n, 3n],
        },
        {
          when: "it sets the threshold above the signer count",
          fields: () => ({ action: ConfigAction.SetThreshold, value: 4n }),
          args: [4n, 3n],
        },
        {
          when: "it adds a signer with threshold 0",
          fields: (ctx) => ({ action: ConfigAction.AddSigner, account: ctx.outsiders[1]!.address, value: 0n }),
          args: [0n, 4n],
        },
        {
          when: "it adds a signer with a threshold above the new signer count",
          fields: (ctx) => ({ action: ConfigAction.AddSigner, account: ctx.outsiders[1]!.address, value: 5n }),
          args: [5n, 4n],
        },
        {
          when: "it removes a signer with threshold 0",
          fields: (ctx) => ({ action: ConfigAction.RemoveSigner, account: ctx.signers[0]!.address, value: 0n }),
          args: [0n, 2n],
        },
        {
          when: "it removes a signer with a threshold above the remaining signer count",
          fields: (ctx) => ({ action: ConfigAction.RemoveSigner, account: ctx.signers[0]!.address, value: 3n }),
          args: [3n, 2n],
        },
      ];
    for (const { when, fields, args } of thresholdCases) {
      it(`a quorum cannot queue a change when ${when}`, async function () {
        const ctx = await loadFixture(deployVault);
        await expect(submitBySignatures(ctx, fields(ctx)))
          .to.be.revertedWithCustomError(ctx.vault, "ThresholdOutOfRange")
          .withArgs(...args);
      });
    }

    it("the last signer cannot remove itself", async function () {
      const ctx = await loadFixture(deploySingleSignerVault);
      await expect(
        submitBySignatures(ctx, { action: ConfigAction.RemoveSigner, account: ctx.signers[0]!.address, value: 0n }),
      )
        .to.be.revertedWithCustomError(ctx.vault, "SignerCountOutOfRange")
        .withArgs(0n, MAX_SIGNERS);
    });

    it("a quorum cannot add a 33rd signer", async function () {
      const { vault, domain, wallets } = await loadFixture(deployFullVault);
      const c = await nextConfigChange(vault, {
        action: ConfigAction.AddSigner,
        account: "0x00000000000000000000000000000000000000A1",
        value: 2n,
      });
      const data = configChangeTypedData(domain, c);
      const signatures = packSignatures(await Promise.all(wallets.slice(0, 2).map((w) => signTypedData(w, data))));

      await expect(vault.queueConfigChange(c, 0n, signatures))
        .to.be.revertedWithCustomError(vault, "SignerCountOutOfRange")
        .withArgs(MAX_SIGNERS + 1, MAX_SIGNERS);
    });

    const { withdrawalDelay, configDelay } = DEFAULT_DELAYS;
    const delayCases: Array<{ when: string; action: ConfigAction; value: bigint; min: bigint; max: bigint }> = [
      {
        when: "the withdrawal delay is below MIN_DELAY",
        action: ConfigAction.SetWithdrawalDelay,
        value: MIN_DELAY - 1n,
        min: MIN_DELAY,
        max: configDelay,
      },
      {
        when: "the withdrawal delay is above the config delay",
        action: ConfigAction.SetWithdrawalDelay,
        value: configDelay + 1n,
        min: MIN_DELAY,
        max: configDelay,
      },
      {
        when: "the config delay is below the withdrawal delay",
        action: ConfigAction.SetConfigDelay,
        value: withdrawalDelay - 1n,
        min: withdrawalDelay,
        max: MAX_DELAY,
      },
      {
        when: "the config delay is above MAX_DELAY",
        action: ConfigAction.SetConfigDelay,
        value: MAX_DELAY + 1n,
        min: withdrawalDelay,
        max: MAX_DELAY,
      },
      {
        when: "the execution window is below MIN_EXECUTION_WINDOW",
        action: ConfigAction.SetExecutionWindow,
        value: MIN_EXECUTION_WINDOW - 1n,
        min: MIN_EXECUTION_WINDOW,
        max: MAX_EXECUTION_WINDOW,
      },
      {
        when: "the execution window is above MAX_EXECUTION_WINDOW",
        action: ConfigAction.SetExecutionWindow,
        value: MAX_EXECUTION_WINDOW + 1n,
        min: MIN_EXECUTION_WINDOW,
        max: MAX_EXECUTION_WINDOW,
      },
    ];
    for (const { when, action, value, min, max } of delayCases) {
      it(`a quorum cannot queue ${withArticle(action)} change when ${when}`, async function () {
        const ctx = await loadFixture(deployVault);
        await expect(submitBySignatures(ctx, { action, value }))
          .to.be.revertedWithCustomError(ctx.vault, "DelayOutOfRange")
          .withArgs(action, value, min, max);
      });
    }

    /** For every action, each field it does not use, set while the used fields are valid. */
    const unusedFieldCases: Array<{
      action: ConfigAction;
      field: string;
      fields: (ctx: VaultContext) => ChangeFields;
    }> = [
      {
        action: ConfigAction.AddSigner,
        field: "replacement",
        fields: (ctx) => ({
          action: ConfigAction.AddSigner,
          account: ctx.outsiders[1]!.address,
          replacement: ctx.outsiders[2]!.address,
          value: 2n,
        }),
      },
      {
        action: ConfigAction.RemoveSigner,
        field: "replacement",
        fields: (ctx) => ({
          action: ConfigAction.RemoveSigner,
          account: ctx.signers[0]!.address,
          replacement: ctx.outsiders[2]!.address,
          value: 2n,
        }),
      },
      {
        action: ConfigAction.ReplaceSigner,
        field: "value",
        fields: (ctx) => ({
          action: ConfigAction.ReplaceSigner,
          account: ctx.signers[0]!.address,
          replacement: ctx.outsiders[2]!.address,
          value: 2n,
        }),
      },
      ...[
        { action: ConfigAction.SetThreshold, value: 2n },
        { action: ConfigAction.SetWithdrawalDelay, value: DAY },
        { action: ConfigAction.SetConfigDelay, value: 2n * DAY },
        { action: ConfigAction.SetExecutionWindow, value: DAY },
      ].flatMap(({ action, value }) => [
        {
          action,
          field: "account",
          fields: (ctx: VaultContext) => ({ action, value, account: ctx.outsiders[1]!.address }),
        },
        {
          action,
          field: "replacement",
          fields: (ctx: VaultContext) => ({ action, value, replacement: ctx.outsiders[1]!.address }),
        },
      ]),
    ];
    for (const { action, field, fields } of unusedFieldCases) {
      it(`a quorum cannot queue ${withArticle(action)} change when its unused ${field} is not zero`, async function () {
        const ctx = await loadFixture(deployVault);
        await expect(submitBySignatures(ctx, fields(ctx)))
          .to.be.revertedWithCustomError(ctx.vault, "UnusedFieldNotZero")
          .withArgs(action);
      });
    }

    it("a signer cannot propose an invalid change", async function () {
      const ctx = await loadFixture(deployVault);
      const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetThreshold, value: 4n });
      await expect(ctx.vault.connect(ctx.signers[0]!).proposeConfigChange(c))
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdOutOfRange")
        .withArgs(4n, 3n);
    });

    it("a quorum cannot queue a change when its nonce is ahead of the config nonce", async function () {
      const ctx = await loadFixture(deployVault);
      const next = await nextConfigChange(ctx.vault, { action: ConfigAction.SetThreshold, value: 3n });
      const c = { ...next, nonce: next.nonce + 1 };
      const signatures = await signConfigChange(ctx, c, ctx.signers.slice(0, 2));
      await expect(ctx.vault.queueConfigChange(c, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(1n, 0n);
    });

    it("a quorum cannot queue a second change with an already used config nonce", async function () {
      const ctx = await loadFixture(deployVault);
      await queueBySignatures(ctx, { action: ConfigAction.SetThreshold, value: 3n });
      const c = configChange({ action: ConfigAction.SetThreshold, value: 1n, nonce: 0, epoch: 1 });
      const signatures = await signConfigChange(ctx, c, ctx.signers.slice(0, 2));
      await expect(ctx.vault.queueConfigChange(c, 1n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(0n, 1n);
    });

    it("a signer cannot propose a change with an already used config nonce", async function () {
      const ctx = await loadFixture(deployVault);
      await queueBySignatures(ctx, { action: ConfigAction.SetThreshold, value: 3n });
      const c = configChange({ action: ConfigAction.SetThreshold, value: 1n, nonce: 0, epoch: 1 });
      await expect(ctx.vault.connect(ctx.signers[0]!).proposeConfigChange(c))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(0n, 1n);
    });
  });

  describe("constructor", function () {
    async function deployWith(overrides: {
      signers?: string[];
      threshold?: bigint;
      withdrawalDelay?: bigint;
      configDelay?: bigint;
      executionWindow?: bigint;
    }) {
      const accounts = (await ethers.getSigners()).slice(1, 4).map((s) => s.address);
      const guardians = (await ethers.getSigners())
        .slice(4, 7)
        .map((s) => s.address)
        .sort(compareAddresses);
      const council = overrides.signers !== undefined && overrides.signers.length > 3 ? 30n : 4n;
      const module = await ethers.deployContract("GuardianModule", [guardians, 2n, council]);
      const factory = await ethers.getContractFactory("ReserveVault");
      const config = { signers: accounts, threshold: 2n, ...DEFAULT_DELAYS, ...LOOSE_GUARDIAN_TIMINGS, ...overrides };
      const rules = await ethers.deployContract("ConfigRules");
      const policy = { ...DEFAULT_POLICY, outflowLimits: [] };
      return {
        factory,
        accounts,
        deployment: factory.deploy(config, policy, await module.getAddress(), await rules.getAddress()),
      };
    }

    it("nobody can deploy a vault with no signers", async function () {
      const { factory, deployment } = await deployWith({ signers: [], threshold: 1n });
      await expect(deployment)
        .to.be.revertedWithCustomError(factory, "SignerCountOutOfRange")
        .withArgs(0n, MAX_SIGNERS);
    });

    it("nobody can deploy a vault with more than 32 signers", async function () {
      const many = Array.from({ length: MAX_SIGNERS + 1 }, (_, i) => ethers.zeroPadValue(ethers.toBeHex(i + 1), 20));
      const { factory, deployment } = await deployWith({ signers: many });
      await expect(deployment)
        .to.be.revertedWithCustomError(factory, "SignerCountOutOfRange")
        .withArgs(MAX_SIGNERS + 1, MAX_SIGNERS);
    });

    it("nobody can deploy a vault with a duplicate signer", async function () {
      const accounts = (await ethers.getSigners()).slice(1, 3).map((s) => s.address);
      const { factory, deployment } = await deployWith({ signers: [accounts[0]!, accounts[1]!, accounts[0]!] });
      await expect(deployment).to.be.revertedWithCustomError(factory, "SignerAlreadyMember").withArgs(accounts[0]!);
    });

    it("nobody can deploy a vault with the zero address as a signer", async function () {
      const accounts = (await ethers.getSigners()).slice(1, 3).map((s) => s.address);
      const { factory, deployment } = await deployWith({ signers: [accounts[0]!, ZeroAddress, accounts[1]!] });
      await expect(deployment).to.be.revertedWithCustomError(factory, "SignerIsZeroAddress");
    });

    it("nobody can deploy a vault with threshold 0", async function () {
      const { factory, deployment } = await deployWith({ threshold: 0n });
      await expect(deployment).to.be.revertedWithCustomError(factory, "ThresholdOutOfRange").withArgs(0n, 3n);
    });

    it("nobody can deploy a vault with a threshold above the signer count", async function () {
      const { factory, deployment } = await deployWith({ threshold: 4n });
      await expect(deployment).to.be.revertedWithCustomError(factory, "ThresholdOutOfRange").withArgs(4n, 3n);
    });

    const constructorDelayCases: Array<{
      when: string;
      overrides: { withdrawalDelay?: bigint; configDelay?: bigint; executionWindow?: bigint };
      args: [ConfigAction, bigint, bigint, bigint];
    }> = [
      {
        when: "the withdrawal delay is below MIN_DELAY",
        overrides: { withdrawalDelay: MIN_DELAY - 1n },
        args: [ConfigAction.SetWithdrawalDelay, MIN_DELAY - 1n, MIN_DELAY, DEFAULT_DELAYS.configDelay],
      },
      {
        // Reported against the withdrawal delay, the first bound checked.
        when: "the config delay is below the withdrawal delay",
        overrides: { withdrawalDelay: 2n * DAY, configDelay: DAY },
        args: [ConfigAction.SetWithdrawalDelay, 2n * DAY, MIN_DELAY, DAY],
      },
      {
        when: "the config delay is above MAX_DELAY",
        overrides: { configDelay: MAX_DELAY + 1n },
        args: [ConfigAction.SetConfigDelay, MAX_DELAY + 1n, DEFAULT_DELAYS.withdrawalDelay, MAX_DELAY],
      },
      {
        when: "the execution window is below MIN_EXECUTION_WINDOW",
        overrides: { executionWindow: MIN_EXECUTION_WINDOW - 1n },
        args: [ConfigAction.SetExecutionWindow, MIN_EXECUTION_WINDOW - 1n, MIN_EXECUTION_WINDOW, MAX_EXECUTION_WINDOW],
      },
      {
        when: "the execution window is above MAX_EXECUTION_WINDOW",
        overrides: { executionWindow: MAX_EXECUTION_WINDOW + 1n },
        args: [ConfigAction.SetExecutionWindow, MAX_EXECUTION_WINDOW + 1n, MIN_EXECUTION_WINDOW, MAX_EXECUTION_WINDOW],
      },
    ];
    for (const { when, overrides, args } of constructorDelayCases) {
      it(`nobody can deploy a vault when ${when}`, async function () {
        const { factory, deployment } = await deployWith(overrides);
        await expect(deployment)
          .to.be.revertedWithCustomError(factory, "DelayOutOfRange")
          .withArgs(...args);
      });
    }
  });

  describe("epochs", function () {
    it("nobody can execute a withdrawal queued before a signer change when the change has executed", async function () {
      const ctx = await loadFixture(deployVault);
      const withdrawal = await queueEthWithdrawal(ctx, ethers.parseEther("1"));
      await applyChange(ctx, { action: ConfigAction.SetThreshold, value: 3n });

      await expect(ctx.vault.executeWithdrawal(withdrawal.w, withdrawal.slot))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(1n, 2n);
    });

    it("a withdrawal queued before a delay change still executes after it (delays keep the epoch)", async function () {
      const ctx = await loadFixture(deployVault);
      const withdrawal = await queueEthWithdrawal(ctx, ethers.parseEther("1"));
      await applyChange(ctx, { action: ConfigAction.SetExecutionWindow, value: 3n * DAY });

      await expect(ctx.vault.executeWithdrawal(withdrawal.w, withdrawal.slot))
        .to.emit(ctx.vault, "WithdrawalExecuted")
        .withArgs(withdrawal.id);
    });

    it("a removed signer's signature does not count when the removal has executed", async function () {
      const ctx = await loadFixture(deployVault);
      const removed = ctx.signers[0]!;
      await applyChange(ctx, { action: ConfigAction.RemoveSigner, account: removed.address, value: 2n });
      const w = await nextWithdrawal(ctx.vault, { asset: ETH, to: ctx.outsiders[1]!.address, amount: 1n });
      expect(w.epoch).to.equal(2);

      // signers[0] sorts lowest, so its signature is the first (index 0).
      await expect(ctx.vault.queueWithdrawal(w, 0n, await signWithdrawal(ctx, w, [removed, ctx.signers[1]!])))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0n, removed.address);
    });

    it("a removed signer cannot approve on-chain when the removal has executed", async function () {
      const ctx = await loadFixture(deployVault);
      const removed = ctx.signers[0]!;
      await applyChange(ctx, { action: ConfigAction.RemoveSigner, account: removed.address, value: 1n });
      const w = await nextWithdrawal(ctx.vault, { asset: ETH, to: ctx.outsiders[1]!.address, amount: 1n });

      await expect(ctx.vault.connect(removed).proposeWithdrawal(w))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotSigner")
        .withArgs(removed.address);
    });

    it("nobody can execute a queued signer change when another signer change has advanced the epoch first", async function () {
      // Two removals that each keep 2-of-2 valid but together would leave 2-of-1.
      const ctx = await loadFixture(deployVault);
      const first = await queueBySignatures(ctx, {
        action: ConfigAction.RemoveSigner,
        account: ctx.signers[0]!.address,
        value: 2n,
      });
      const second = await queueBySignatures(
        ctx,
        { action: ConfigAction.RemoveSigner, account: ctx.signers[1]!.address, value: 2n },
        undefined,
        new Set([first.slot]),
      );
      await time.increaseTo(second.eta);
      await ctx.vault.executeConfigChange(first.c, first.slot);

      await expect(ctx.vault.executeConfigChange(second.c, second.slot))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(1n, 2n);
      expect(await ctx.vault.operationState(second.id, second.slot)).to.equal(OperationState.Ready);
      await expectInvariant(ctx.vault);
    });
  });

  describe("delay changes", function () {
    /**
     * Withdrawal delay 1 day → 1 hour, queued at t0 (eta t0 + 2 days). A withdrawal queued at
     * t0 + 36 h under the old delay (eta t0 + 60 h) is still waiting when the change executes.
     */
    async function shortenedWithdrawalDelay() {
      const ctx = await deployVault();
      const change = await queueBySignatures(ctx, { action: ConfigAction.SetWithdrawalDelay, value: HOUR });
      await time.increaseTo(change.eta - 12n * HOUR);
      const before = await queueEthWithdrawal(ctx, ethers.parseEther("1"), new Set([change.slot]));
      await time.increaseTo(change.eta);
      await ctx.vault.executeConfigChange(change.c, change.slot);
      return { ctx, change, before };
    }

    it("a shorter withdrawal delay never brings forward the eta of a withdrawal queued before it", async function () {
      const { ctx, before } = await loadFixture(shortenedWithdrawalDelay);
      expect((await ctx.vault.queueSlot(before.slot)).eta).to.equal(before.eta);
      await time.setNextBlockTimestamp(before.eta - 1n);

      await expect(ctx.vault.executeWithdrawal(before.w, before.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
        .withArgs(before.id, before.eta, before.eta - 1n);
    });

    it("a withdrawal queued after the withdrawal delay is shortened uses the new delay", async function () {
      const { ctx, before } = await loadFixture(shortenedWithdrawalDelay);
      const after = await queueEthWithdrawal(ctx, ethers.parseEther("2"), new Set([before.slot]));
      const queuedAt = BigInt(await time.latest());

      expect(after.eta).to.equal(queuedAt + HOUR);
      expect(after.eta).to.be.lessThan(before.eta);
      await time.setNextBlockTimestamp(after.eta);
      await expect(ctx.vault.executeWithdrawal(after.w, after.slot))
        .to.emit(ctx.vault, "WithdrawalExecuted")
        .withArgs(after.id);
    });

    it("a shorter config delay takes effect only when the old config delay has passed", async function () {
      const ctx = await loadFixture(deployVault);
      const queuedAt = await pinNextBlockTime();
      const { c, id, slot, eta } = await queueBySignatures(ctx, { action: ConfigAction.SetConfigDelay, value: DAY });
      expect(eta).to.equal(queuedAt + DEFAULT_DELAYS.configDelay);
      await time.setNextBlockTimestamp(queuedAt + DAY);

      await expect(ctx.vault.executeConfigChange(c, slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
        .withArgs(id, eta, queuedAt + DAY);
    });

    it("a shorter withdrawal delay waits max(config delay, long delay): never sooner than a long-delay withdrawal", async function () {
      const ctx = await loadFixture(deployVault);
      const queuedAt = await pinNextBlockTime();
      const { id, slot } = await queueBySignatures(ctx, { action: ConfigAction.SetWithdrawalDelay, value: HOUR });
      const { delays } = await ctx.vault.timings();
      const expected = delays.configDelay > delays.longDelay ? delays.configDelay : delays.longDelay;
      const { eta } = await ctx.vault.queueSlot(slot);
      expect(eta - queuedAt).to.equal(expected);
      expect(eta - queuedAt).to.be.at.least(DEFAULT_DELAYS.withdrawalDelay);
      expect(await ctx.vault.operationState(id, slot)).to.equal(OperationState.Queued);
    });
  });

  describe("every delay change (realistic guardian delays)", function () {
    /** scripts/lib DEFAULT_TIMINGS for all ten delays, so that every delay has room to move both ways. */
    const deployRealisticVault = makeVaultFixture(ethers, { guardianCount: 5, ...DEFAULT_TIMINGS });
    const NEW_VALUES: Record<(typeof TIMING_KEYS)[number], bigint> = {
      withdrawalDelay: 12n * HOUR,
      configDelay: 3n * DAY,
      executionWindow: 10n * DAY,
      longDelay: 5n * DAY,
      coolOff: 5n * DAY,
      recoveryDelay: 5n * DAY,
      councilDelay: 5n * DAY,
      maxFreeze: 2n * DAY,
      freezeCooldown: 10n * DAY,
      vetoQuietPeriod: 10n * DAY,
    };
    const ACTIONS = [
      ConfigAction.SetWithdrawalDelay,
      ConfigAction.SetConfigDelay,
      ConfigAction.SetExecutionWindow,
      ConfigAction.SetLongDelay,
      ConfigAction.SetCoolOff,
      ConfigAction.SetRecoveryDelay,
      ConfigAction.SetCouncilDelay,
      ConfigAction.SetMaxFreeze,
      ConfigAction.SetFreezeCooldown,
      ConfigAction.SetVetoQuietPeriod,
    ] as const;

    TIMING_KEYS.forEach((key, i) => {
      const action = ACTIONS[i]!;
      it(`${ConfigAction[action]} changes ${key} alone and emits DelayChanged with the old and new value`, async function () {
        const ctx = await loadFixture(deployRealisticVault);
        const value = NEW_VALUES[key];
        expect(value).to.not.equal(DEFAULT_TIMINGS[key]);
        const queued = await queueBySignatures(ctx, { action, value });
        await time.increaseTo(queued.eta);

        await expect(ctx.vault.executeConfigChange(queued.c, queued.slot))
          .to.emit(ctx.vault, "DelayChanged")
          .withArgs(action, DEFAULT_TIMINGS[key], value);
        const { delays } = await ctx.vault.timings();
        for (const other of TIMING_KEYS) {
          expect(delays[other], other).to.equal(other === key ? value : DEFAULT_TIMINGS[other]);
        }
      });
    });
  });

  describe("execution window changes", function () {
    /** A 1-hour window; a withdrawal and a window change are queued together. */
    const deployShortWindowVault = makeVaultFixture(ethers, { executionWindow: HOUR });

    it("a longer execution window never revives a withdrawal that already expired", async function () {
      const ctx = await loadFixture(deployShortWindowVault);
      const withdrawal = await queueEthWithdrawal(ctx, ethers.parseEther("1"));
      const change = await queueBySignatures(
        ctx,
        { action: ConfigAction.SetExecutionWindow, value: 30n * DAY },
        undefined,
        new Set([withdrawal.slot]),
      );
      await time.increaseTo(change.eta);
      await ctx.vault.executeConfigChange(change.c, change.slot);

      expect((await readOperation(ctx.vault, withdrawal.id, withdrawal.slot)).state).to.equal(OperationState.Expired);
      await expect(ctx.vault.executeWithdrawal(withdrawal.w, withdrawal.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationExpired")
        .withArgs(withdrawal.id, withdrawal.eta + HOUR, anyUint);
    });

    it("a shorter execution window never cuts the deadline of a withdrawal already queued", async function () {
      const ctx = await loadFixture(deployVault);
      const change = await queueBySignatures(ctx, { action: ConfigAction.SetExecutionWindow, value: HOUR });
      const withdrawal = await queueEthWithdrawal(ctx, ethers.parseEther("1"), new Set([change.slot]));
      await time.increaseTo(change.eta);
      await ctx.vault.executeConfigChange(change.c, change.slot);
      const deadline = withdrawal.eta + DEFAULT_DELAYS.executionWindow;
      expect((await ctx.vault.queueSlot(withdrawal.slot)).deadline).to.equal(deadline);

      await time.setNextBlockTimestamp(deadline);
      await expect(ctx.vault.executeWithdrawal(withdrawal.w, withdrawal.slot))
        .to.emit(ctx.vault, "WithdrawalExecuted")
        .withArgs(withdrawal.id);
    });
  });

  describe("invariants", function () {
    it("1 <= M <= N and the council bounds (2C > N + G, C > max(M, K), C <= N + G - max(M, K)) hold after every change", async function () {
      const ctx = await loadFixture(deployVault);
      const accounts = await ethers.getSigners();
      const byAddress = new Map(accounts.map((a) => [a.address, a]));
      /** The current quorum: the first `threshold` current signers, as local signers. */
      const quorum = async () => {
        const config = await readConfiguration(ctx.vault);
        return config.signers.slice(0, config.threshold).map((a) => byAddress.get(a)!);
      };
      const [s0, s1, s2] = ctx.signers.map((s) => s.address) as [string, string, string];
      const [o1, o2, o3] = ctx.outsiders.slice(1, 4).map((o) => o.address) as [string, string, string];
      const steps: Array<{ fields: ChangeFields; rejectedWith?: string }> = [
        { fields: { action: ConfigAction.AddSigner, account: o1, value: 3n } },
        { fields: { action: ConfigAction.SetThreshold, value: 5n }, rejectedWith: "ThresholdOutOfRange" }, // 5 of 4
        { fields: { action: ConfigAction.SetThreshold, value: 4n } },
        // C = 5 > max(M, K) = 4 and C <= N + G - M = 5: 6 is out of range.
        { fields: { action: ConfigAction.SetCouncilThreshold, value: 6n }, rejectedWith: "CouncilThresholdOutOfRange" },
        { fields: { action: ConfigAction.RemoveSigner, account: s0, value: 4n }, rejectedWith: "ThresholdOutOfRange" },
        { fields: { action: ConfigAction.RemoveSigner, account: s0, value: 3n } },
        { fields: { action: ConfigAction.ReplaceSigner, account: s1, replacement: o2 } },
        { fields: { action: ConfigAction.RemoveSigner, account: s2, value: 1n } },
        { fields: { action: ConfigAction.SetThreshold, value: 2n } },
        { fields: { action: ConfigAction.RemoveSigner, account: o1, value: 1n } },
        {
          fields: { action: ConfigAction.RemoveSigner, account: o2, value: 1n },
          rejectedWith: "SignerCountOutOfRange",
        },
        { fields: { action: ConfigAction.AddSigner, account: o3, value: 2n } },
      ];
      for (const { fields, rejectedWith } of steps) {
        const signers = await quorum();
        if (rejectedWith === undefined) {
          const { c, slot, eta } = await queueBySignatures(ctx, fields, signers);
          await time.increaseTo(eta);
          await ctx.vault.executeConfigChange(c, slot);
        } else {
          const c = await nextConfigChange(ctx.vault, fields);
          await expect(
            ctx.vault.queueConfigChange(c, 0n, await signConfigChange(ctx, c, signers)),
          ).to.be.revertedWithCustomError(ctx.vault, rejectedWith);
        }
        await expectInvariant(ctx.vault);
      }
      expect(await readConfiguration(ctx.vault)).to.include({ threshold: 2, epoch: 9 });
      expect(await ctx.vault.signers()).to.deep.equal(sorted([o2, o3]));
    });

    it("a change that became invalid between queue and execution reverts at execution and stays queued", async function () {
      // Both valid when queued (1 day <= 2 days; 1 day >= 1 day). Once the config delay is 1 day,
      // a 2-day withdrawal delay would exceed it.
      const ctx = await loadFixture(deployVault);
      const configDelay = await queueBySignatures(ctx, { action: ConfigAction.SetConfigDelay, value: DAY });
      const withdrawalDelay = await queueBySignatures(
        ctx,
        { action: ConfigAction.SetWithdrawalDelay, value: 2n * DAY },
        undefined,
        new Set([configDelay.slot]),
      );
      await time.increaseTo(withdrawalDelay.eta);
      await ctx.vault.executeConfigChange(configDelay.c, configDelay.slot);

      await expect(ctx.vault.executeConfigChange(withdrawalDelay.c, withdrawalDelay.slot))
        .to.be.revertedWithCustomError(ctx.vault, "DelayOutOfRange")
        .withArgs(ConfigAction.SetWithdrawalDelay, 2n * DAY, MIN_DELAY, DAY);
      expect(await ctx.vault.operationState(withdrawalDelay.id, withdrawalDelay.slot)).to.equal(OperationState.Ready);
      const record = await ctx.vault.queueSlot(withdrawalDelay.slot);
      expect([record.idPrefix, record.eta]).to.deep.equal([prefixOf(withdrawalDelay.id), withdrawalDelay.eta]);
      expect((await readConfiguration(ctx.vault)).withdrawalDelay).to.equal(DEFAULT_DELAYS.withdrawalDelay);
    });
  });
});
