/**
 * Where forge is: node_modules/.bin/forge, from the optional npm package
 * @foundry-rs/forge-linux-amd64 (pinned in package.json; foundry.toml configures it).
 */
import { existsSync } from "node:fs";
import path from "node:path";

export function forgeBinary(root: string = process.cwd()): string {
  const bin = path.join(root, "node_modules", ".bin", "forge");
  if (!existsSync(bin)) {
    throw new Error(
      "forge is not installed. It comes from the optional npm package @foundry-rs/forge-linux-amd64 " +
        "(Linux x64 only; `npm run setup` installs it there). On another platform install forge 1.7.1 and put it " +
        "at node_modules/.bin/forge, or run this on Linux x64.",
    );
  }
  return bin;
}
