// Runs the extension-host suite in a desktop VS Code downloaded by @vscode/test-electron.
// Needs internet access to the VS Code CDN; on machines without it, scripts/e2e/run.sh runs the
// same suite inside code-server instead.
// Usage: npm run build && npx tsx test/extension-host/runTest.ts
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const extensionDevelopmentPath = path.resolve(__dirname, '../..');
  const extensionTestsPath = path.join(extensionDevelopmentPath, 'dist/test/suite.js');
  await runTests({ extensionDevelopmentPath, extensionTestsPath, launchArgs: ['--disable-extensions', '--disable-workspace-trust'] });
}

main().catch((error: unknown) => {
  console.error('extension-host tests failed:', error);
  process.exit(1);
});
