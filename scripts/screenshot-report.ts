// Screenshot of an HTML report for the README: `npm run docs:screenshot -- compat-report/report.html docs/html-report.png "tools × gemini-like"`.
// Opens the cell named by the third argument (a detail's aria-label), then shoots the top of the page.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { launchChromium } from '../test/support/browser.js';

const [html, out, cell] = process.argv.slice(2);
if (!html || !out) {
  process.stderr.write('usage: tsx scripts/screenshot-report.ts REPORT.html OUT.png ["feature × target"]\n');
  process.exit(2);
}
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1250 } });
  await page.goto(pathToFileURL(path.resolve(html)).href);
  if (cell) {
    const id = await page.locator(`section.detail[aria-label="${cell}"]`).getAttribute('id');
    await page.locator(`a[href="#${id}"]`).first().click();
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  await page.screenshot({ path: out });
} finally {
  await browser.close();
}
