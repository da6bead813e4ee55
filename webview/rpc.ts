// The webview's side of the host relay: typed requests by protocol method, and host messages.
import type { HostToWebview, WebviewToHost } from '../server/protocol/webview';
import type { RequestEntry } from '../server/protocol/methods';

interface VsCodeApi { postMessage(msg: WebviewToHost): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

export const vscode = acquireVsCodeApi();

export class RequestError extends Error {
  constructor(message: string, readonly field?: string, readonly detail?: string) {
    super(message);
  }
}

let seq = 0;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
const attachWaiters = new Map<number, (parts: unknown[]) => void>();
const setupWaiters = new Map<number, (r: SetupResult) => void>();
const manageWaiters = new Map<number, (r: ManageResult) => void>();
const listeners = new Set<(m: HostToWebview) => void>();

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const m = ev.data;
  if (m.type === 'response') {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new RequestError(m.error.message, m.error.field, m.error.detail));
    else p.resolve(m.result);
    return;
  }
  if (m.type === 'providerSetupResult') {
    setupWaiters.get(m.requestId)?.(m);
    setupWaiters.delete(m.requestId);
    return;
  }
  if (m.type === 'manageResult') {
    manageWaiters.get(m.requestId)?.(m);
    manageWaiters.delete(m.requestId);
    return;
  }
  if (m.type === 'attached') {
    attachWaiters.get(m.requestId)?.(m.parts);
    attachWaiters.delete(m.requestId);
    return;
  }
  for (const l of listeners) l(m);
});

/** Only requests the table exposes to the webview compile here; the host refuses the rest at run time too. */
export function request<P, R>(def: RequestEntry<P, R, 'webview'>, params: NoInfer<P>): Promise<R> {
  const id = ++seq;
  return new Promise<R>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    vscode.postMessage({ type: 'request', id, method: def.method, params });
  });
}

export function onHostMessage(fn: (m: HostToWebview) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function post(msg: WebviewToHost): void {
  vscode.postMessage(msg);
}

type SetupResult = Extract<HostToWebview, { type: 'providerSetupResult' }>;
type SetupOp = Extract<WebviewToHost, { type: 'providerSetup' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One step of the provider form, done by the host (the key never comes here). */
export function providerSetup(op: DistributiveOmit<SetupOp, 'type' | 'requestId'>): Promise<SetupResult> {
  const requestId = ++seq;
  return new Promise((resolve) => {
    setupWaiters.set(requestId, resolve);
    vscode.postMessage({ type: 'providerSetup', requestId, ...op } as SetupOp);
  });
}

type ManageResult = Extract<HostToWebview, { type: 'manageResult' }>;
type ManageMessage = Extract<WebviewToHost, { type: 'manage' }>;

/** A step of the management panel the host does (a password box, a confirmation, a file); never a secret back. */
export function manageOp(op: DistributiveOmit<ManageMessage, 'type' | 'requestId'>): Promise<ManageResult> {
  const requestId = ++seq;
  return new Promise((resolve) => {
    manageWaiters.set(requestId, resolve);
    vscode.postMessage({ type: 'manage', requestId, ...op } as ManageMessage);
  });
}

export function pickAttachments<T>(): Promise<T[]> {
  const requestId = ++seq;
  return new Promise((resolve) => {
    attachWaiters.set(requestId, (parts) => resolve(parts as T[]));
    vscode.postMessage({ type: 'attachFiles', requestId });
  });
}
