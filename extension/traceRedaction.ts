// The language client's message trace (`localAgents.trace.server`: messages / verbose) writes every request's
// params into the server's output channel, and VS Code keeps output channels as files in its logs folder. The
// requests that hand the server a key, a token or a secret's value would put them there; this channel writes the
// trace with those values replaced.
import type * as vscode from 'vscode';

/** JSON fields whose string value is a secret in some request or result of the protocol. */
const SECRET_STRING_FIELDS = ['api_key', 'api_key_value', 'token', 'access_token', 'refresh_token', 'id_token', 'client_secret', 'oauth2_client_secret', 'value', 'password', 'authorization'];
/** JSON fields whose object value maps names to secret values (an MCP server's env and custom headers). */
const SECRET_MAP_FIELDS = ['env', 'custom_headers', 'headers'];

const REDACTED = '[redacted]';
const stringField = new RegExp(`"(${SECRET_STRING_FIELDS.join('|')})"(\\s*):(\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const mapField = new RegExp(`"(${SECRET_MAP_FIELDS.join('|')})"(\\s*):(\\s*)\\{[^{}]*\\}`, 'gi');

export function redactSecrets(text: string): string {
  return text
    .replace(stringField, `"$1"$2:$3"${REDACTED}"`)
    .replace(mapField, `"$1"$2:$3"${REDACTED}"`);
}

/** The trace channel handed to the language client: the server's log channel, with secrets redacted. */
export function redactingChannel(channel: vscode.OutputChannel): vscode.OutputChannel {
  return new Proxy(channel, {
    get(target, prop, receiver) {
      if (prop === 'append' || prop === 'appendLine' || prop === 'replace') {
        return (value: string) => target[prop](redactSecrets(value));
      }
      const member: unknown = Reflect.get(target, prop, receiver);
      return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(target) : member;
    },
  });
}
