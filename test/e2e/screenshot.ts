import { copyFileSync, mkdirSync } from "node:fs";
import type { Page } from "playwright-core";

/** Whole pages go to artifacts/; with SCREENSHOTS_TO_DOCS=1 the first screenful is copied to docs/img/. */
export const ARTIFACTS = "artifacts";
const DOCS_IMG = "docs/img";

export function prepareArtifacts(): void {
  mkdirSync(ARTIFACTS, { recursive: true });
}

/**
 * A screenshot of the page named `name`. `toDocs: false` for a page showing a secret or a key: even
 * a test's throwaway one stays out of the repo.
 */
export async function screenshot(page: Page, name: string, toDocs = true): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  if (toDocs && process.env.SCREENSHOTS_TO_DOCS === "1") {
    await page.screenshot({ path: `${ARTIFACTS}/${name}.screen.png` });
    copyFileSync(`${ARTIFACTS}/${name}.screen.png`, `${DOCS_IMG}/${name}.png`);
  }
}
