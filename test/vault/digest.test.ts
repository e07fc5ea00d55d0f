/**
 * The off-chain EIP-712 digests of scripts/lib agree with the contract's ids for random
 * operations, and signatures made from the library's typed data are accepted on-chain.
 *
 * Random inputs come from a seeded PRNG so any failure reproduces: the failing case prints its
 * seed and index; rerun with DIGEST_SEED=<seed> to replay another sequence.
 */
import { expect } from "chai";
import { getAddress, hexlify, MaxUint256, ZeroAddress } from "ethers";
import { network } from "hardhat";

import {
  cancellationTypedData,
  ConfigAction,
  configChange,
  configChangeTypedData,
  digest,
  ETH,
  nextConfigChange,
  nextWithdrawal,
  packSignatures,
  readConfiguration,
  recoverSigner,
  signTypedData,
  toSignTypedDataV4,
  withdrawal,
  withdrawalTypedData,
  type ConfigChange,
  type SignerSignature,
  type TypedData,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import { DEFAULT_DELAYS, makeVaultFixture, signConfigChange } from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const deployVault = makeVaultFixture(ethers);

const SEED = Number(process.env.DIGEST_SEED ?? 0x7e5e_2f0d) >>> 0;
const CASES = 200;
const MAX_UINT32 = 2 ** 32 - 1;
const ACTIONS = Object.values(ConfigAction).filter((v): v is ConfigAction => typeof v === "number");

/** mulberry32: a tiny, fast, seedable 32-bit PRNG (not cryptographic; reproducibility is the point). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Random values for operation fields, biased towards the edges (0, 1, max) that break encoders. */
class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return this.next() % n;
  }

  bytes(length: number): Uint8Array {
    return Uint8Array.from({ length }, () => this.next() & 0xff);
  }

  /** A checksummed address; sometimes the zero address or all 0xff. */
  address(): string {
    const pick = this.below(16);
    if (pick === 0) return ZeroAddress;
    if (pick === 1) return getAddress(`0x${"ff".repeat(20)}`);
    return getAddress(hexlify(this.bytes(20)));
  }

  /** A uint256 of random bit length (so small and huge values both occur), or an edge value. */
  uint256(): bigint {
    const pick = this.below(16);
    if (pick === 0) return 0n;
    if (pick === 1) return 1n;
    if (pick === 2) return MaxUint256;
    const bits = 1 + this.below(256);
    return BigInt(hexlify(this.bytes(32))) >> BigInt(256 - bits);
  }

  uint32(): number {
    const pick = this.below(8);
    if (pick === 0) return 0;
    if (pick === 1) return MAX_UINT32;
    return this.next();
  }

  bytes32(): string {
    return hexlify(this.bytes(32));
  }
}

function randomWithdrawal(random: Random): Withdrawal {
  return withdrawal({
    asset: random.address(),
    to: random.address(),
    amount: random.uint256(),
    nonce: random.uint32(),
    epoch: random.uint32(),
  });
}

/** Case `i` uses action `i mod 7`, so every action is covered evenly; the fields are unconstrained. */
function randomConfigChange(random: Random, i: number): ConfigChange {
  return configChange({
    action: ACTIONS[i % ACTIONS.length]!,
    account: random.address(),
    replacement: random.address(),
    value: random.uint256(),
    nonce: random.uint32(),
    epoch: random.uint32(),
  });
}

function describeCase(i: number, value: unknown): string {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return `seed ${SEED} case ${i}: ${json}`;
}

describe("ReserveVault", function () {
  describe("withdrawalId", function () {
    it(`equals the off-chain withdrawal digest for ${CASES} random withdrawals`, async function () {
      const ctx = await loadFixture(deployVault);
      const random = new Random(SEED);
      const withdrawals = Array.from({ length: CASES }, () => randomWithdrawal(random));

      const onChain = await Promise.all(withdrawals.map((w) => ctx.vault.withdrawalId(w)));
      withdrawals.forEach((w, i) => {
        expect(digest(withdrawalTypedData(ctx.domain, w)), describeCase(i, w)).to.equal(onChain[i]);
      });
    });
  });

  describe("configChangeId", function () {
    it(`equals the off-chain config-change digest for ${CASES} random changes of every action`, async function () {
      const ctx = await loadFixture(deployVault);
      const random = new Random(SEED ^ 0x00c0_ff1e);
      const changes = Array.from({ length: CASES }, (_, i) => randomConfigChange(random, i));

      const onChain = await Promise.all(changes.map((c) => ctx.vault.configChangeId(c)));
      changes.forEach((c, i) => {
        expect(digest(configChangeTypedData(ctx.domain, c)), describeCase(i, c)).to.equal(onChain[i]);
      });
    });
  });

  describe("cancellationId", function () {
    it(`equals the off-chain cancellation digest for ${CASES} random operations across 4 epochs`, async function () {
      // cancellationId reads the vault's current epoch, so the epoch is advanced for real
      // (SetThreshold to the same value still starts a new epoch) between batches.
      const ctx = await loadFixture(deployVault);
      const random = new Random(SEED ^ 0x0ca9_ce11);
      const epochs = 4;
      for (let batch = 0; batch < epochs; batch++) {
        const { epoch } = await readConfiguration(ctx.vault);
        expect(epoch).to.equal(batch + 1);
        const operations = Array.from({ length: CASES / epochs }, () => random.bytes32());

        const onChain = await Promise.all(operations.map((op) => ctx.vault.cancellationId(op)));
        operations.forEach((op, i) => {
          const expected = digest(cancellationTypedData(ctx.domain, op, epoch));
          expect(expected, describeCase(batch * operations.length + i, { op, epoch })).to.equal(onChain[i]);
        });

        if (batch === epochs - 1) break;
        const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetThreshold, value: 2n });
        await ctx.vault.queueConfigChange(c, 0n, await signConfigChange(ctx, c, ctx.signers.slice(0, 2)));
        await time.increase((await readConfiguration(ctx.vault)).configDelay);
        await ctx.vault.executeConfigChange(c, 0n);
      }
    });
  });

  describe("recoverSigner", function () {
    it("returns the signer of withdrawal, config-change and cancellation typed data", async function () {
      const ctx = await loadFixture(deployVault);
      const random = new Random(SEED ^ 0x5191_0000);
      const signer = ctx.signers[1]!;
      const typedData: TypedData[] = [
        withdrawalTypedData(ctx.domain, randomWithdrawal(random)),
        ...ACTIONS.map((_, i) => configChangeTypedData(ctx.domain, randomConfigChange(random, i))),
        cancellationTypedData(ctx.domain, random.bytes32(), random.uint32()),
      ];

      for (const data of typedData) {
        const { signature } = await signTypedData(signer, data);
        expect(recoverSigner(data, signature), data.primaryType).to.equal(signer.address);
      }
    });
  });

  describe("eth_signTypedData_v4", function () {
    /** Signs `data` through the node's eth_signTypedData_v4 with each signer's account. */
    async function signV4(data: TypedData, accounts: readonly string[]): Promise<string> {
      const json = toSignTypedDataV4(data);
      const signatures: SignerSignature[] = await Promise.all(
        accounts.map(async (account) => ({
          signer: account,
          signature: (await ethers.provider.send("eth_signTypedData_v4", [account, json])) as string,
        })),
      );
      return packSignatures(signatures);
    }

    it("a withdrawal signed from toSignTypedDataV4 JSON by the node is accepted by queueWithdrawal", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await nextWithdrawal(ctx.vault, {
        asset: ETH,
        to: ctx.outsiders[1]!.address,
        amount: ethers.parseEther("1.5"),
      });
      const signatures = await signV4(
        withdrawalTypedData(ctx.domain, w),
        ctx.signers.slice(0, 2).map((s) => s.address),
      );

      const queuedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(queuedAt);

      await expect(ctx.vault.queueWithdrawal(w, 0n, signatures))
        .to.emit(ctx.vault, "WithdrawalQueued")
        .withArgs(
          await ctx.vault.withdrawalId(w),
          ETH,
          w.to,
          w.amount,
          w.nonce,
          0n,
          queuedAt + DEFAULT_DELAYS.withdrawalDelay,
        );
    });

    it("a config change signed from toSignTypedDataV4 JSON by the node is accepted by queueConfigChange", async function () {
      const ctx = await loadFixture(deployVault);
      const c = await nextConfigChange(ctx.vault, {
        action: ConfigAction.ReplaceSigner,
        account: ctx.signers[2]!.address,
        replacement: ctx.outsiders[1]!.address,
      });
      const signatures = await signV4(
        configChangeTypedData(ctx.domain, c),
        [ctx.signers[0]!, ctx.signers[2]!].map((s) => s.address),
      );

      const queuedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(queuedAt);

      await expect(ctx.vault.queueConfigChange(c, 0n, signatures))
        .to.emit(ctx.vault, "ConfigChangeQueued")
        .withArgs(
          await ctx.vault.configChangeId(c),
          [c.action, c.account, c.replacement, c.value, c.nonce, c.epoch],
          0n,
          queuedAt + DEFAULT_DELAYS.configDelay,
        );
    });
  });
});
