/**
 * Amounts as people write them ("1.5" ETH, "250" USDC) and as the chain counts them (base units),
 * with the errors a signer needs when the two disagree.
 */
import { formatUnits, ZeroAddress } from "ethers";

/** What a token calls itself; ETH is `{ symbol: "ETH", decimals: 18 }`. */
export interface AssetInfo {
  symbol: string;
  decimals: number;
}

export const ETH_INFO: AssetInfo = { symbol: "ETH", decimals: 18 };

/**
 * Base units of `text` for an asset with `decimals`: "1.5" with 18 decimals is 1.5e18. Throws an
 * Error saying what is wrong (not a number, negative, more decimals than the asset has).
 */
export function parseAmount(text: string, asset: AssetInfo): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim().replaceAll("_", ""));
  if (!match) {
    throw new Error(
      `amount "${text}" is not a decimal number of ${asset.symbol} (write e.g. 1.5, no sign, no exponent)`,
    );
  }
  const whole = match[1]!;
  const fraction = match[2] ?? "";
  if (fraction.length > asset.decimals) {
    throw new Error(
      `amount "${text}" has ${fraction.length} decimals but ${asset.symbol} has ${asset.decimals}: ` +
        `the smallest amount is ${formatUnits(1n, asset.decimals)} ${asset.symbol}`,
    );
  }
  const units = BigInt(whole + fraction.padEnd(asset.decimals, "0"));
  if (units === 0n) throw new Error(`amount "${text}" is zero: the vault refuses empty withdrawals`);
  return units;
}

/** `1.5 ETH (1500000000000000000 base units)`. */
export function formatAmount(units: bigint, asset: AssetInfo): string {
  return `${formatUnits(units, asset.decimals)} ${asset.symbol} (${units} base units)`;
}

/** address(0) is ETH. */
export function isEth(asset: string): boolean {
  return asset.toLowerCase() === ZeroAddress;
}

/** Names of chains a signer may meet, so a summary says "Ethereum mainnet" rather than only "1". */
export const CHAIN_NAMES: Record<string, string> = {
  "1": "Ethereum mainnet",
  "10": "OP mainnet",
  "56": "BNB Smart Chain",
  "137": "Polygon",
  "8453": "Base",
  "42161": "Arbitrum One",
  "11155111": "Sepolia testnet",
  "31337": "Hardhat local chain",
};

export function chainText(chainId: bigint | string): string {
  const name = CHAIN_NAMES[chainId.toString()];
  return name ? `${chainId} (${name})` : `${chainId} (unknown chain: check it is the one you mean)`;
}
