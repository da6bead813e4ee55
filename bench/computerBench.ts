// Computer use's cost per step (#14): from a click to its screenshot being in the tool result (the action, the
// wait for what it caused, the downscaled CDP screenshot, the base64 result), next to its physical limit in the
// same run: a bare playwright page.screenshot() of the same page in the same browser build. Also the image
// bytes each step sends to the model.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrowserSession } from '../server/computer/browserSession';
import { resultOf } from '../server/computer/computerTool';
import { findBrowser } from '../server/computer/browserDiscovery';
import { VIEWPORT } from '../server/computer/screenshotScale';
import { emptyRules } from '../server/permissions/rules';
import { fmt, median, timeAsync, type Row } from './stats';

/** A page with some text and a button whose click changes what is shown. */
const PAGE = `<!doctype html><title>Bench</title><body style="margin:0;font:16px sans-serif">
  <button id="b" style="position:absolute;left:100px;top:100px;width:200px;height:60px" onclick="n.textContent = +n.textContent + 1">Add</button>
  <p style="position:absolute;left:100px;top:200px">Clicked <span id="n">0</span> times</p>
  <div style="position:absolute;top:260px;left:100px;width:1000px">${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(40)}</div></body>`;

export async function runComputerBench(): Promise<Row[]> {
  const server = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(PAGE); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const session = await BrowserSession.open({ browser: null, headless: true, label: 'bench', policy: () => ({ mode: 'default', rules: emptyRules() }) });
  const { chromium } = await import('playwright-core');
  const bare = await chromium.launch({ ...findBrowser(null), headless: true });
  try {
    await session.step({ action: 'navigate', url });
    const runs = 30;
    const bytes: number[] = [];
    const step = median(await timeAsync(runs, async () => {
      const r = await session.step({ action: 'click', x: 160, y: 104 });
      const result = resultOf(r) as { content: Array<{ size_bytes?: number }> };
      bytes.push(result.content[1]?.size_bytes ?? 0);
    }));
    const page = await bare.newPage({ viewport: VIEWPORT });
    await page.goto(url);
    const limit = median(await timeAsync(runs, () => page.screenshot()));
    const shotOnly = median(await timeAsync(runs, () => session.screenshot()));
    const ratio = step / limit;
    const kb = median(bytes) / 1024;
    return [
      {
        metric: 'computer use: click → screenshot in the tool result (1024x640 PNG)', value: fmt(step),
        limit: `bare page.screenshot() ${fmt(limit)}; our CDP screenshot alone ${fmt(shotOnly)}`, ratio: `${ratio.toFixed(2)}x`,
        // The step waits ~60 ms for a navigation the click may start and two frames for it to paint.
        goal: '≤ 250 ms, ≤ 3x', ok: step <= 250 && ratio <= 3,
      },
      { metric: 'computer use: image bytes per step', value: `${kb.toFixed(1)} KB`, limit: '—', ratio: '—', goal: '≤ 200 KB', ok: kb <= 200 },
    ];
  } finally {
    await session.close();
    await bare.close();
    server.close();
  }
}
