// The Mocha runner VS Code loads as `extensionTestsPath` (bundled by esbuild into
// dist/test/suite.js). Test files are bundled in too; each is imported only after Mocha has
// installed its BDD globals (describe/it), because their top-level code calls them.
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/**
 * In code-server the extension host's console reaches the harness only through the browser
 * console, unformatted and mixed with VS Code's own logs; one pre-formatted line per call with a
 * fixed prefix lets test/e2e/harness.js pick the report out.
 */
const REPORT_PREFIX = '[mocha] ';
Mocha.reporters.Base.consoleLog = (...args: unknown[]): void => {
  for (const line of format(...args).split('\n')) console.log(REPORT_PREFIX + line);
};

/** Every extension-host test module. Add a line here when adding a `*.test.ts` file. */
const testModules: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
  ['activation.test.ts', () => import('./activation.test.js')],
  ['server.test.ts', () => import('./server.test.js')],
  ['mcp.test.ts', () => import('./mcp.test.js')],
  ['runtime.test.ts', () => import('./runtime.test.js')],
  ['userSecrets.test.ts', () => import('./userSecrets.test.js')],
];

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000, reporter: 'spec' });
  const grep = process.env.LOCAL_AGENTS_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const [name, load] of testModules) {
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, path.join(__dirname, name), mocha);
    await load();
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_POST_REQUIRE, globalThis, path.join(__dirname, name), mocha);
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
