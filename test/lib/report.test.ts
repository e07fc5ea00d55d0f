/**
 * The resilience report (scripts/lib/report.ts) rendered in headless Chromium (Debian's chromium,
 * driven by playwright-core): the grid and the timeline charts are there, and the page asks the
 * network for nothing (it is self-contained).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { network } from "hardhat";
import { chromium } from "playwright-core";

import { analyze, renderReport, weakestPointSentences } from "../../scripts/lib/index.js";
import { reportScenario } from "../../scripts/scenarios/index.js";
import { okexDetainedSigner } from "../../scripts/scenarios/okex.js";
import { routineWithdrawal } from "../../scripts/scenarios/routine.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("resilience report (scripts/lib/report.ts) in headless Chromium", function () {
  this.timeout(120_000);

  it("shows one colour-coded grid cell per combination, the weakest points, and one SVG timeline per scenario; loads nothing from the network", async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `no Chromium at ${CHROMIUM}: \`npm run setup\` installs Debian's chromium (or set CHROMIUM_PATH)`,
      );
    }
    const outcomes = [];
    for (const scenario of [routineWithdrawal, okexDetainedSigner]) {
      const connection = await network.create();
      try {
        outcomes.push(await scenario(connection, () => {}));
      } finally {
        await connection.close();
      }
    }
    const m = outcomes[0]!.membership;
    const cells = analyze(m, outcomes[0]!.timings);
    const html = renderReport({
      title: "test report",
      source: "test",
      membership: m,
      cells,
      weakestPoints: weakestPointSentences(cells),
      scenarios: outcomes.map(reportScenario),
      generatedAt: new Date(0),
    });
    const dir = await mkdtemp(path.join(tmpdir(), "vault-report-"));
    const file = path.join(dir, "report.html");
    await writeFile(file, html);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);

      expect(await page.locator("table.grid td.cell").count()).to.equal(cells.length);
      expect(await page.locator("table.grid td.cell.frozen").count()).to.equal(
        cells.filter((c) => c.verdict.outcome === "frozen").length,
      );
      expect(await page.locator("table.grid td.cell.at-risk").count()).to.equal(
        cells.filter((c) => c.verdict.outcome === "at-risk").length,
      );
      // Colour-coded: an at-risk cell is painted differently from an unaffected one.
      // (Runs in the page: the browser's getComputedStyle, not in this project's TypeScript libs.)
      type Styles = { getComputedStyle(element: unknown): { backgroundColor: string } };
      const colour = (selector: string) =>
        page
          .locator(selector)
          .first()
          .evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).backgroundColor);
      expect(await colour("td.cell.at-risk")).not.to.equal(await colour("td.cell.unaffected"));
      expect(await page.locator("ul.weakest li").count()).to.equal(weakestPointSentences(cells).length);

      const charts = page.locator("svg.timeline");
      expect(await charts.count()).to.equal(outcomes.length);
      for (let i = 0; i < outcomes.length; i++) {
        expect(await charts.nth(i).locator("circle").count()).to.equal(outcomes[i]!.timeline.entries.length);
        const box = await charts.nth(i).boundingBox();
        expect(box!.width).to.be.greaterThan(0);
      }
      expect(requests.every((url) => url.startsWith("file://"))).to.equal(true);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
